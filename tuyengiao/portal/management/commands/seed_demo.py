"""Load the demo province: the Hà Giang units of 2022, a home page and one staff account per role."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from config.env import env
from tuyengiao.accounts.roles import Role
from tuyengiao.accounts.services import role_grant, staff_create
from tuyengiao.contests.demo import demo_contests_load
from tuyengiao.documents.demo import demo_documents_load
from tuyengiao.library.demo import demo_library_load
from tuyengiao.orgs.imports import units_import
from tuyengiao.orgs.models import Unit
from tuyengiao.portal.demo import demo_news_load
from tuyengiao.portal.editorial import editorial_permissions_sync
from tuyengiao.portal.models import HomePage

UNITS_FILE = Path(settings.BASE_DIR) / "tuyengiao" / "orgs" / "fixtures" / "units_hagiang_2022.csv"

# (user name, family name, given name, job title, unit code, roles)
DEMO_STAFF = [
    ("quantri.tinh", "Nguyễn Văn", "An", "Chuyên viên quản trị hệ thống", "HG", [Role.ADMINISTRATOR]),
    ("bientap.tinh", "Trần Thị", "Bình", "Biên tập viên Cổng thông tin", "HG-BTG", [Role.EDITOR]),
    ("duyet.tinh", "Lê Minh", "Châu", "Phó Trưởng Ban Tuyên giáo", "HG-BTG", [Role.APPROVER]),
    ("bientap.bacme", "Hoàng Văn", "Dũng", "Cán bộ Ban Tuyên giáo Huyện ủy", "HG-BM", [Role.EDITOR]),
    ("bientap.dongvan", "Vàng Thị", "Mai", "Cán bộ Ban Tuyên giáo Huyện ủy", "HG-DV", [Role.EDITOR]),
    ("canbo.yenphu", "Ma Văn", "Hùng", "Công chức văn hóa - xã hội", "HG-BM-01", [Role.UNIT_STAFF]),
    ("tochuc.svh", "Phạm Thu", "Hà", "Chuyên viên Sở Văn hóa, Thể thao và Du lịch", "HG-SVH", [Role.CONTEST_ORGANISER]),
    ("giamkhao.tinh", "Đỗ Quang", "Khải", "Giảng viên Trường Chính trị tỉnh", "HG-TCT", [Role.JUDGE]),
    ("phantich.tinh", "Vũ Thị", "Lan", "Chuyên viên dư luận xã hội", "HG-BTG", [Role.ANALYST]),
]


class Command(BaseCommand):
    help = "Load the demo province (idempotent: running it again duplicates nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-documents", action="store_true", help="leave out the demo documents (tests of the news portal)"
        )
        parser.add_argument(
            "--without-contests", action="store_true", help="leave out the demo contest (tests of the news portal)"
        )
        parser.add_argument(
            "--without-library", action="store_true", help="leave out the demo books (tests of the news portal)"
        )

    def handle(self, *args, without_documents=False, without_contests=False, without_library=False, **options):
        with transaction.atomic():
            result = units_import(data=UNITS_FILE.read_bytes(), file_name=UNITS_FILE.name)
            self.stdout.write(
                f"Units: {result.created} created, {result.updated} updated, {result.unchanged} unchanged"
            )
            self._home_page()
            articles = demo_news_load()
            documents = 0
            if not without_documents:
                documents = demo_documents_load(unit=Unit.objects.filter(code="HG-BTG").first())
            entries = 0
            if not without_contests:
                entries = demo_contests_load(unit=Unit.objects.filter(code="HG-SVH").first())
            books = 0
            if not without_library:
                books = demo_library_load(unit=Unit.objects.filter(code="HG-BTG").first())
            password = env("DEMO_PASSWORD", "demo-tuyengiao")
            created = self._staff(password)
            editorial_permissions_sync()
        self.stdout.write(f"News: {articles} articles created")
        self.stdout.write(f"Documents: {documents} created (the task worker digitises their files)")
        self.stdout.write(f"Contest entries: {entries} created")
        self.stdout.write(f"Library: {books} books and bulletin issues added (the task worker digitises them)")
        self.stdout.write(f"Demo staff: {created} created; each signs in with the password “{password}”:")
        for username, *_rest, unit_code, roles in DEMO_STAFF:
            self.stdout.write(f"  {username:18} {', '.join(str(r.label) for r in roles):22} {unit_code}")

    def _home_page(self):
        # Wagtail's migrations make these rows; a database emptied by `flush` lacks them.
        Collection.get_first_root_node() or Collection.add_root(name="Root")
        if HomePage.objects.exists():
            return
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(
            instance=HomePage(
                title="Ban Tuyên giáo và Dân vận Tỉnh ủy Hà Giang",
                slug="trang-chu",
                intro="Cổng thông tin điện tử của ngành Tuyên giáo tỉnh Hà Giang.",
            )
        )
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Tuyên giáo số"
            )
        else:
            old_root = site.root_page
            site.root_page = home
            site.site_name = "Tuyên giáo số"
            site.save(update_fields=["root_page", "site_name"])
            if old_root.specific_class is Page and old_root.depth == 2:
                old_root.delete()

    def _staff(self, password: str) -> int:
        User = get_user_model()
        created = 0
        for username, last_name, first_name, job_title, unit_code, roles in DEMO_STAFF:
            unit = Unit.objects.get(code=unit_code)
            user = User.objects.filter(username=username).first()
            if user is None:
                staff_create(
                    username=username,
                    unit=unit,
                    password=password,
                    last_name=last_name,
                    first_name=first_name,
                    job_title=job_title,
                    roles=tuple(roles),
                )
                created += 1
            else:
                for role in roles:
                    role_grant(user=user, role=role, unit=unit)
        return created
