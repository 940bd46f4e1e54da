from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from hiring.views import jobs as hiring_views

admin.site.site_header = "Structured hiring administration"
admin.site.site_title = "Hiring admin"
admin.site.index_title = "Role templates, people and settings"

urlpatterns = [
    path("", hiring_views.home, name="home"),
    path("healthz", hiring_views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("hiring/", include("hiring.urls")),
    path("interviews/", include("interviews.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
