from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from hiring.views import careers as careers_views
from hiring.views import health
from hiring.views import jobs as hiring_views
from hiring.views import two_factor as two_factor_views

handler500 = "hiring.views.errors.server_error"

admin.site.site_header = "Structured hiring administration"
admin.site.site_title = "Hiring admin"
admin.site.index_title = "Role templates, people and settings"

urlpatterns = [
    path("", hiring_views.home, name="home"),
    path("healthz", hiring_views.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Every page needs a signed-in user (LoginRequiredMiddleware) except these public ones:
    # /healthz, /readyz, sign in, sign out (also after the session expired), the password-reset
    # flow (Django marks its own views with login_not_required), and the careers site with its
    # sitemap (hiring/views/careers.py marks its public views).
    path("accounts/logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("accounts/two-factor/", two_factor_views.overview, name="two-factor"),
    path("accounts/two-factor/verify/", two_factor_views.verify, name="two-factor-verify"),
    path("accounts/two-factor/setup/", two_factor_views.setup, name="two-factor-setup"),
    path("accounts/two-factor/recovery-codes/", two_factor_views.recovery_codes, name="two-factor-recovery-codes"),
    path("accounts/two-factor/disable/", two_factor_views.disable, name="two-factor-disable"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("hiring/", include("hiring.urls")),
    path("interviews/", include("interviews.urls")),
    path("careers/", include("hiring.urls_careers")),
    path("sitemap.xml", careers_views.sitemap_xml, name="sitemap"),
    # The public API (token or session), its OpenAPI schema and docs: config/api.py.
    path("api/", include("config.api")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
