import getpass
import secrets
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from iomcms.roles import EDITORS, PUBLISHERS

ROLES = {"editor": EDITORS, "publisher": PUBLISHERS}


class Command(BaseCommand):
    help = (
        "Create a staff user in the Editors or Publishers group, or move an existing user to "
        "that role. Asks for the password (twice), or prints a generated one with "
        "--generate-password."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--generate-password",
            action="store_true",
            help="Set a random password and print it once (for scripts, or to reset one).",
        )

    def handle(self, *args, username, role, email, generate_password, **options):
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(f"{email!r} is not a valid e-mail address.") from None
        try:
            group = Group.objects.get(name=ROLES[role])
        except Group.DoesNotExist:
            raise CommandError(
                f"The {ROLES[role]} group does not exist yet: run `manage.py migrate` first."
            ) from None
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        password = None
        if user is None or generate_password:
            candidate = user or User(username=username, email=email)
            password = (
                secrets.token_urlsafe(12) if generate_password else self._ask_password(candidate)
            )
        with transaction.atomic():
            created = user is None
            if created:
                user = User(username=username, email=email)
            elif email:
                user.email = email
            user.is_staff = user.is_active = True
            if password:
                user.set_password(password)
            user.save()
            # One newsroom role at a time: moving someone to Editors takes publishing away.
            user.groups.remove(*Group.objects.filter(name__in=ROLES.values()).exclude(pk=group.pk))
            user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} staff user {username!r} in {group.name}."))
        if generate_password:
            self.stdout.write(f"Password (shown once): {password}")

    def _ask_password(self, user):
        if not sys.stdin.isatty():
            raise CommandError(
                "No terminal to ask for a password: run it interactively, or pass "
                "--generate-password."
            )
        for _attempt in range(3):
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords do not match.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as exc:
                self.stderr.write(" ".join(exc.messages))
                continue
            return password
        raise CommandError("No valid password given; nothing was changed.")
