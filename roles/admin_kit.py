"""Admin plumbing shared by every app: writes go through services, their refusals show on the form.

Django's admin saves inside ``changeform_view``'s transaction. When a service called from
``save_model``/``save_related``/``save_formset`` raises ``ValidationError``, that transaction
rolls back and the view runs once more with the same POST data; this time the form reports
the service's error, so the page re-renders with what the admin typed and nothing is written.
Deletes and list edits that a service refuses come back as an error message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponseRedirect

_ERROR_ATTR = "_admin_service_error"


def add_service_error(form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: on a field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            if field != NON_FIELD_ERRORS and field in form.fields:
                form.add_error(field, errors)
            else:
                form.add_error(None, errors)
    else:
        form.add_error(None, error)


def with_service_error(form_class, error: ValidationError):
    """``form_class`` whose validation also reports ``error`` (the second pass of a refused save)."""

    def clean(self):
        cleaned = super(form, self).clean()
        add_service_error(self, error)
        return cleaned

    form = type(form_class.__name__, (form_class,), {"clean": clean, "__module__": form_class.__module__})
    return form


class ServiceErrorsInFormMixin:
    """For ``ModelAdmin``: a service's refusal on save shows in place, with the admin's input kept."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            if request.method != "POST" or getattr(request, _ERROR_ATTR, None) is not None:
                raise
            setattr(request, _ERROR_ATTR, error)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        error = getattr(request, _ERROR_ATTR, None)
        return form_class if error is None else with_service_error(form_class, error)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path().rsplit("delete/", 1)[0])

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ValidationError as error:  # a list edit or a bulk delete a service refused
            self.message_user(request, " ".join(error.messages), level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class SharedChoicesInlineMixin:
    """For inlines: the select boxes named in ``shared_choice_fields`` load their choices once per page.

    A ``ModelChoiceField`` queries its choices for every row it renders (an N+1 on an inline
    with many rows); here the list is read once and every row's copy of the field reuses it.
    ``limit_choices(request, obj, name, queryset)`` narrows a list to the parent object.
    """

    shared_choice_fields: tuple[str, ...] = ()

    def limit_choices(self, request, obj, name, queryset):
        return queryset

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for name in self.shared_choice_fields:
            field = formset.form.base_fields.get(name)
            if field is None:
                continue
            field.queryset = self.limit_choices(request, obj, name, field.queryset)
            choices = list(field.choices)
            field.choices = choices
            inner = getattr(field.widget, "widget", None)  # the admin's related-object wrapper
            if inner is not None:
                inner.choices = choices
        return formset
