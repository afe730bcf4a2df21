import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from iomcms.roles import EDITORS, PUBLISHERS


class Command(BaseCommand):
    help = (
        "Create or reset the local demo logins (a superuser, an Editor and a Publisher) and "
        "print them. Development only: refuses to run unless DEBUG is on, so it can never "
        "create a known login in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("The demo login is for local development only (DEBUG is off).")
        # A fresh password on every start: nothing guessable survives on a shared machine.
        password = secrets.token_urlsafe(9)
        logins = [
            (username, "superuser", None),
            (f"{username}-editor", "Editor: writes, cannot publish", EDITORS),
            (f"{username}-publisher", "Publisher: also publishes and schedules", PUBLISHERS),
        ]
        for name, _role, group in logins:
            user, _ = get_user_model().objects.get_or_create(
                username=name, defaults={"email": f"{name}@example.org"}
            )
            user.is_staff = user.is_active = True
            user.is_superuser = group is None
            user.set_password(password)
            user.save()
            if group:
                user.groups.set([Group.objects.get(name=group)])
        self.stdout.write(
            self.style.SUCCESS(f"Demo logins (local use only), password {password!r}:")
        )
        for name, role, _group in logins:
            self.stdout.write(f"  {name!r:22} {role}")
