"""The two working roles as groups: project managers edit, funders only look (never at contacts)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MANAGERS = "Project managers"
FUNDERS = "Funders"

# Project managers run the pipeline; reference data (regions, themes, funders, instruments,
# calls) is the network administrator's and stays read-only for them.
MANAGER_EDITS = {
    "portfolio": ["organisation", "contact", "roadshowevent", "idea", "consortiummember"],
    "funding": ["fundingapplication", "implementation"],
}
VIEWABLE = {
    "portfolio": ["region", "theme", "organisation", "contact", "roadshowevent", "idea",
                  "consortiummember", "stagetransition"],
    "funding": ["funder", "fundinginstrument", "fundingcall", "fundingapplication",
                "implementation"],
}
HIDDEN_FROM_FUNDERS = {("portfolio", "contact")}


def _perms(Permission, app, codenames):
    return list(Permission.objects.filter(content_type__app_label=app, codename__in=codenames))


def load(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups need them now.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    managers, _ = Group.objects.get_or_create(name=MANAGERS)
    funders, _ = Group.objects.get_or_create(name=FUNDERS)
    for app, models in VIEWABLE.items():
        managers.permissions.add(*_perms(Permission, app, [f"view_{m}" for m in models]))
        funders.permissions.add(
            *_perms(
                Permission,
                app,
                [f"view_{m}" for m in models if (app, m) not in HIDDEN_FROM_FUNDERS],
            )
        )
    for app, models in MANAGER_EDITS.items():
        codenames = [f"{action}_{m}" for m in models for action in ("add", "change", "delete")]
        managers.permissions.add(*_perms(Permission, app, codenames))


def unload(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[MANAGERS, FUNDERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0002_funders_and_instruments"),
        ("portfolio", "0002_regions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(load, unload)]
