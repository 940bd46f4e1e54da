"""The four roles of the hiring team, as Django groups, and what each may do.

Groups are created by a data migration and kept in step with the models after every
``migrate`` (new models get their permissions without another migration).
"""

from django.apps import apps as global_apps

ADMIN = "Admin"
RECRUITER = "Recruiter"
HIRING_MANAGER = "Hiring manager"
INTERVIEWER = "Interviewer"
ROLE_NAMES = (ADMIN, RECRUITER, HIRING_MANAGER, INTERVIEWER)

# (app label, actions) per group; "*" means every model of the app.
GROUP_PERMISSIONS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    ADMIN: [
        ("hiring", ("add", "change", "delete", "view")),
        ("roles", ("add", "change", "delete", "view")),
        ("interviews", ("add", "change", "delete", "view")),
        ("auth", ("add", "change", "delete", "view")),
        ("django_celery_beat", ("view",)),
    ],
    RECRUITER: [
        ("hiring", ("add", "change", "view")),
        ("roles", ("view",)),
        ("interviews", ("add", "change", "view")),
    ],
    HIRING_MANAGER: [
        ("hiring", ("view",)),
        ("roles", ("view",)),
        ("interviews", ("view",)),
    ],
    INTERVIEWER: [
        ("roles", ("view",)),
    ],
}
# Models only admins may see, whatever the app-wide actions above say (voluntary self-identification).
ADMIN_ONLY_MODELS: tuple[str, ...] = (
    "hiring.selfidentification",
    "hiring.apitoken",
    "hiring.webhookendpoint",
    "hiring.webhookdelivery",
    "hiring.webhookattempt",
)
# Models a role may write beyond its app-wide actions above.
EXTRA_PERMISSIONS: dict[str, list[str]] = {
    HIRING_MANAGER: [
        "hiring.add_note",
        "hiring.change_application",
        "interviews.add_scorecard",
        "interviews.change_scorecard",
    ],
    INTERVIEWER: ["interviews.view_scorecard", "interviews.add_scorecard", "interviews.change_scorecard"],
}


def sync_groups(apps=global_apps, **_kwargs) -> None:
    """Create the role groups and give them their model permissions (idempotent)."""
    from django.contrib.auth.management import create_permissions

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    for name in ROLE_NAMES:
        group, _ = group_model.objects.get_or_create(name=name)
        wanted = set()
        for app_label, actions in GROUP_PERMISSIONS.get(name, []):
            for perm in permission_model.objects.filter(content_type__app_label=app_label).values_list(
                "pk", "codename"
            ):
                if perm[1].split("_", 1)[0] in actions:
                    wanted.add(perm[0])
        for dotted in EXTRA_PERMISSIONS.get(name, []):
            app_label, codename = dotted.split(".")
            wanted.update(
                permission_model.objects.filter(content_type__app_label=app_label, codename=codename).values_list(
                    "pk", flat=True
                )
            )
        if name != ADMIN:
            for dotted in ADMIN_ONLY_MODELS:
                app_label, model = dotted.split(".")
                wanted.difference_update(
                    permission_model.objects.filter(
                        content_type__app_label=app_label, content_type__model=model
                    ).values_list("pk", flat=True)
                )
        group.permissions.set(wanted)


def role_of(user) -> str | None:
    """The role that decides a user's home page: the most capable group they are in."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_role_of"):
        if hasattr(user, "_top_role_group"):  # loaded with it (hiring.auth_backends): no query
            names = {user._top_role_group} if user._top_role_group else set()
        else:
            names = {group.name for group in user.groups.all()}
        user._role_of = ADMIN if user.is_superuser else next((n for n in ROLE_NAMES if n in names), None)
    return user._role_of
