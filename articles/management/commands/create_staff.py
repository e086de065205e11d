from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.desk.roles import GROUP_NAMES


class Command(BaseCommand):
    help = "Create a newsroom staff account with a role: reporter, editor or chief."

    def add_arguments(self, parser):
        parser.add_argument("username")
        # Checked in handle() so that the error is ours, not argparse's.
        parser.add_argument("--role", required=True, help="reporter, editor or chief")
        parser.add_argument(
            "--password", help="without it the account cannot log in until one is set"
        )
        parser.add_argument("--email", default="")

    def handle(self, *args, username, role, password=None, email="", **options):
        User = get_user_model()
        if role not in GROUP_NAMES:
            raise CommandError(f"Unknown role {role!r}. Choose one of: {', '.join(GROUP_NAMES)}.")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists; nothing was changed.")
        try:
            group = Group.objects.get(name=GROUP_NAMES[role])
        except Group.DoesNotExist:
            raise CommandError(
                "The newsroom roles are missing: run `manage.py migrate` first."
            ) from None
        user = User(username=username, email=email, is_staff=True)
        if password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError("Password refused: " + " ".join(exc.messages)) from None
            user.set_password(password)
        else:
            user.set_unusable_password()
        with transaction.atomic():
            user.save()
            user.groups.add(group)
        self.stdout.write(f"Created {username} ({role}).")
