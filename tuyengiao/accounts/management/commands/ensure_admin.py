import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the administrator once (ADMIN_USERNAME / ADMIN_PASSWORD, or a generated password kept in "
        ".admin-password) and print how to sign in."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = settings.ADMIN_USERNAME
        password_file = Path(settings.BASE_DIR) / ".admin-password"
        password = settings.ADMIN_PASSWORD or (password_file.read_text().strip() if password_file.exists() else "")
        user = User.objects.filter(username=username).first()
        if user is None:
            password = password or secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email="", password=password, last_name="Quản trị")
            if not settings.ADMIN_PASSWORD:
                password_file.write_text(password + "\n")
                password_file.chmod(0o600)
        elif settings.ADMIN_PASSWORD and not user.check_password(settings.ADMIN_PASSWORD):
            user.set_password(settings.ADMIN_PASSWORD)
            user.save(update_fields=["password"])
        shown = password if password else "(the password you set earlier)"
        self.stdout.write(f"Administrator: {username} / {shown}  →  {settings.SITE_URL}/admin/")
