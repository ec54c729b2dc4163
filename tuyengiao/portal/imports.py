"""Moving an old portal over: `python manage.py import_articles DIR` (the format is in the README).

Each good row becomes a published article (or updates the one imported before from the same row);
each bad row is reported with its number and skipped.
"""

import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.images import get_image_model

from tuyengiao.core.tabular import RowError, TableError, header_map, table_read
from tuyengiao.core.text import fold, nfc
from tuyengiao.orgs.models import Unit
from tuyengiao.portal.models import ArticlePage, CategoryPage

COLUMNS = {
    "title": ["tiêu đề"],
    "date": ["ngày đăng", "ngày"],
    "category": ["chuyên mục"],
    "author": ["tác giả"],
    "unit": ["mã đơn vị", "đơn vị"],
    "lead": ["sapo", "tóm tắt"],
    "body": ["nội dung"],
    "body_file": ["tệp nội dung"],
    "images": ["ảnh"],
    "tags": ["từ khóa"],
}
TABLE_NAMES = ("articles.csv", "articles.xlsx")
MAX_IMAGE_BYTES = 15 * 1024 * 1024


@dataclass
class ArticleImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


def _when(value) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    if isinstance(value, datetime.date):
        return timezone.make_aware(datetime.datetime.combine(value, datetime.time(8, 0)))
    for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return timezone.make_aware(datetime.datetime.strptime(str(value).strip(), pattern))
        except ValueError:
            continue
    return None


def _category(value: str, categories: list[CategoryPage]) -> CategoryPage | None:
    wanted = fold(value)
    return next((c for c in categories if c.slug == value or fold(c.title) == wanted), None)


def _image(directory: Path, name: str, caption: str):
    """An image file named in the table, checked by its content."""
    from PIL import Image, UnidentifiedImageError

    path = (directory / name).resolve()
    if directory.resolve() not in path.parents or not path.is_file():
        raise ValueError(_("the image “%(name)s” is not in the folder.") % {"name": name})
    data = path.read_bytes()
    if len(data) > MAX_IMAGE_BYTES:
        raise ValueError(_("the image “%(name)s” is larger than 15 MB.") % {"name": name})
    try:
        Image.open(io.BytesIO(data)).verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValueError(_("“%(name)s” is not an image.") % {"name": name}) from error
    image = get_image_model()(title=caption or path.stem)
    image.file = ImageFile(io.BytesIO(data), name=path.name)
    image.save()
    return image


def _clean_html(html: str) -> str:
    """Old portals' HTML, reduced to what the rich-text editor allows; scripts and styles go whole."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(nfc(html), "html.parser")
    for element in soup(["script", "style", "iframe", "object", "embed", "form"]):
        element.decompose()
    return EditorHTMLConverter().to_database_format(str(soup))


def _row(directory: Path, values: dict, categories: list[CategoryPage], units: dict) -> dict:
    """Check one row and turn it into article fields; raises ValueError with the reason."""
    title = nfc(str(values.get("title", ""))).strip()
    if not title:
        raise ValueError(_("the title is missing."))
    when = _when(values.get("date", ""))
    if when is None:
        raise ValueError(
            _("“%(value)s” is not a date; write it as dd/mm/yyyy hh:mm.") % {"value": values.get("date", "")}
        )
    category = _category(str(values.get("category", "")).strip(), categories)
    if category is None:
        raise ValueError(_("there is no category “%(name)s”.") % {"name": values.get("category", "")})
    unit_code = str(values.get("unit", "")).strip()
    if unit_code and unit_code not in units:
        raise ValueError(_("there is no unit with the code “%(code)s”.") % {"code": unit_code})
    html = str(values.get("body", "") or "")
    if values.get("body_file"):
        body_path = (directory / str(values["body_file"])).resolve()
        if directory.resolve() not in body_path.parents or not body_path.is_file():
            raise ValueError(_("the body file “%(name)s” is not in the folder.") % {"name": values["body_file"]})
        try:
            html = body_path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise ValueError(_("the body file “%(name)s” is not in UTF-8.") % {"name": values["body_file"]}) from error
    images = []
    for entry in filter(None, (part.strip() for part in str(values.get("images", "") or "").split(";"))):
        name, _sep, caption = entry.partition("|")
        images.append((name.strip(), nfc(caption).strip()))
    return {
        "title": title,
        "date": when,
        "category": category,
        "author": nfc(str(values.get("author", "") or "")).strip(),
        "unit": units.get(unit_code),
        "lead": nfc(str(values.get("lead", "") or "")).strip() or title,
        "html": _clean_html(html),
        "images": images,
        "tags": [nfc(tag).strip() for tag in str(values.get("tags", "") or "").split(",") if tag.strip()],
    }


@transaction.atomic
def _save(directory: Path, data: dict) -> bool:
    """Create or update one article; returns True if it was created."""
    body = [
        ("image", {"image": _image(directory, name, caption), "caption": caption}) for name, caption in data["images"]
    ]
    if data["html"].strip():
        body.append(("paragraph", data["html"]))
    slug = slugify(f"{fold(data['title'])} {data['date']:%Y%m%d}")[:200]
    category: CategoryPage = data["category"]
    article = ArticlePage.objects.child_of(category).filter(slug=slug).first()
    created = article is None
    fields = {key: data[key] for key in ("title", "date", "author", "unit", "lead")}
    if created:
        article = ArticlePage(slug=slug, body=body, **fields)
        category.add_child(instance=article)
    else:
        for name, value in fields.items():
            setattr(article, name, value)
        article.body = body
    article.tags.set(data["tags"], clear=True)
    article.save_revision().publish()
    ArticlePage.objects.filter(pk=article.pk).update(first_published_at=data["date"])
    return created


def articles_import(directory: Path) -> ArticleImportResult:
    table_path = next((directory / name for name in TABLE_NAMES if (directory / name).is_file()), None)
    if table_path is None:
        raise TableError(_("The folder has no articles.csv or articles.xlsx."))
    table = table_read(table_path.read_bytes())
    columns = header_map(table, COLUMNS)
    missing = [name for name in ("title", "date", "category") if name not in columns]
    if missing:
        raise TableError(_("The table needs the columns %(columns)s.") % {"columns": ", ".join(missing)})
    categories = list(CategoryPage.objects.all())
    units = {unit.code: unit for unit in Unit.objects.all()}
    result = ArticleImportResult()
    for line, cells in table.rows:
        values = {name: (cells[index] if index < len(cells) else "") for name, index in columns.items()}
        try:
            created = _save(directory, _row(directory, values, categories, units))
        except ValueError as error:
            result.errors.append(RowError(line, str(error)))
            continue
        if created:
            result.created += 1
        else:
            result.updated += 1
    return result
