from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Compile the project's .po catalogues to .mo with polib, so that no GNU gettext "
        "is needed on the machine (Django's compilemessages needs msgfmt)."
    )

    def handle(self, *args, **options):
        for locale_path in settings.LOCALE_PATHS:
            for po_path in Path(locale_path).glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                self.stdout.write(f"{mo_path.relative_to(settings.BASE_DIR)}")
