"""Demo news for `seed_demo`: the categories, the seed article and twenty more, and website links."""

import datetime
import io
from pathlib import Path

from django.conf import settings
from django.core.files.images import ImageFile
from wagtail.images import get_image_model

from tuyengiao.orgs.models import Unit
from tuyengiao.portal.models import (
    AlbumIndexPage,
    AlbumPage,
    ArticlePage,
    CategoryPage,
    HomePage,
    InfoPage,
    WebsiteLink,
)

SEED_ARTICLE = Path(settings.BASE_DIR) / "tuyengiao" / "portal" / "fixtures" / "seed_article.txt"

# (slug, title, description, unit whose editors write there); the commission runs the portal.
CATEGORIES = [
    ("tuyen-giao-cac-cap", "Tuyên giáo các cấp", "Hoạt động của ngành tuyên giáo từ tỉnh đến cơ sở.", "HG-BTG"),
    (
        "nghien-cuu-trao-doi",
        "Nghiên cứu - Trao đổi",
        "Bài viết nghiên cứu, trao đổi về lý luận và thực tiễn.",
        "HG-BTG",
    ),
    ("van-hoa-van-nghe", "Văn hóa - Văn nghệ", "Đời sống văn hóa, văn nghệ các dân tộc Hà Giang.", "HG-BTG"),
    ("thong-tin-co-so", "Thông tin cơ sở", "Tin từ các huyện, xã, thị trấn.", "HG-BTG"),
]
# The districts' own sections inside "Thông tin cơ sở": (slug, title, unit).
DISTRICT_SECTIONS = [
    ("bac-me", "Bắc Mê", "HG-BM"),
    ("dong-van", "Đồng Văn", "HG-DV"),
    ("meo-vac", "Mèo Vạc", "HG-MV"),
]

# (category slug, title, lead, author, unit code, days before 20/10/2022)
ARTICLES = [
    (
        "tuyen-giao-cac-cap",
        "Hội nghị trực tuyến quán triệt Nghị quyết Trung ương 5 khóa XIII",
        "Hội nghị được kết nối tới 203 điểm cầu với hơn 7.900 đại biểu tham dự.",
        "Trần Thị Bình",
        "HG-BTG",
        12,
    ),
    (
        "tuyen-giao-cac-cap",
        "Sơ kết công tác tuyên giáo 9 tháng đầu năm 2022",
        "Ban Tuyên giáo Tỉnh ủy tổ chức sơ kết, đề ra nhiệm vụ trọng tâm quý IV.",
        "Lê Minh Châu",
        "HG-BTG",
        25,
    ),
    (
        "tuyen-giao-cac-cap",
        "Tổng kết 10 năm thực hiện Chỉ thị 19-CT/TW về dạy nghề cho lao động nông thôn",
        "Hơn 40 nghìn lao động nông thôn được đào tạo nghề trong 10 năm qua.",
        "Hoàng Văn Dũng",
        "HG-BM",
        40,
    ),
    (
        "tuyen-giao-cac-cap",
        "Bắc Mê mở lớp học tập chính trị hè cho học sinh, sinh viên",
        "Trung tâm Chính trị huyện Bắc Mê tổ chức 3 lớp với gần 500 học viên.",
        "Hoàng Văn Dũng",
        "HG-BM",
        70,
    ),
    (
        "tuyen-giao-cac-cap",
        "Đồng Văn nâng cao chất lượng đội ngũ báo cáo viên cơ sở",
        "Huyện ủy Đồng Văn tập huấn nghiệp vụ cho 120 báo cáo viên.",
        "Vàng Thị Mai",
        "HG-DV",
        55,
    ),
    (
        "tuyen-giao-cac-cap",
        "Mèo Vạc đẩy mạnh nắm bắt dư luận xã hội",
        "Mạng lưới cộng tác viên dư luận xã hội được kiện toàn ở 18 xã, thị trấn.",
        "Vàng Thị Mai",
        "HG-MV",
        90,
    ),
    (
        "nghien-cuu-trao-doi",
        "Chuyển đổi số trong công tác tuyên giáo: từ nhận thức đến hành động",
        "Số hóa tài liệu, họp trực tuyến và mã QR đang thay đổi cách làm tuyên giáo.",
        "Nguyễn Văn An",
        "HG-BTG",
        15,
    ),
    (
        "nghien-cuu-trao-doi",
        "Đấu tranh phản bác quan điểm sai trái trên không gian mạng",
        "Cần phát huy vai trò của lực lượng nòng cốt và sự tham gia của nhân dân.",
        "Lê Minh Châu",
        "HG-BTG",
        33,
    ),
    (
        "nghien-cuu-trao-doi",
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh ở cơ sở",
        "Nhiều mô hình hay, cách làm sáng tạo được nhân rộng.",
        "Đỗ Quang Khải",
        "HG-TCT",
        61,
    ),
    (
        "nghien-cuu-trao-doi",
        "Nâng cao chất lượng học tập, quán triệt nghị quyết của Đảng",
        "Đổi mới hình thức học tập giúp nghị quyết đi vào cuộc sống.",
        "Đỗ Quang Khải",
        "HG-TCT",
        100,
    ),
    (
        "nghien-cuu-trao-doi",
        "Vai trò của báo chí trong tuyên truyền chủ trương của Đảng",
        "Báo Hà Giang và Đài Phát thanh - Truyền hình tỉnh phối hợp chặt chẽ với ngành tuyên giáo.",
        "Phạm Thu Hà",
        "HG-BAO",
        120,
    ),
    (
        "van-hoa-van-nghe",
        "Lễ hội Khèn Mông lần thứ VII",
        "Lễ hội tôn vinh bản sắc văn hóa dân tộc Mông trên Cao nguyên đá.",
        "Phạm Thu Hà",
        "HG-SVH",
        20,
    ),
    (
        "van-hoa-van-nghe",
        "Gìn giữ nghề dệt lanh của đồng bào Mông ở Lũng Tám",
        "Hợp tác xã dệt lanh tạo việc làm cho hàng chục phụ nữ.",
        "Phạm Thu Hà",
        "HG-SVH",
        45,
    ),
    (
        "van-hoa-van-nghe",
        "Chợ phiên Đồng Văn - nét văn hóa vùng cao",
        "Mỗi phiên chợ là dịp giao lưu của đồng bào các dân tộc.",
        "Vàng Thị Mai",
        "HG-DV",
        80,
    ),
    (
        "van-hoa-van-nghe",
        "Hội thi tuyên truyền lưu động các huyện, thành phố",
        "11 đội thông tin lưu động tham gia hội thi cấp tỉnh.",
        "Phạm Thu Hà",
        "HG-SVH",
        130,
    ),
    (
        "thong-tin-co-so",
        "Thị trấn Yên Phú ra quân làm đường giao thông nông thôn",
        "Nhân dân hiến đất, góp công làm hơn 2 km đường bê tông.",
        "Ma Văn Hùng",
        "HG-BM-01",
        8,
    ),
    (
        "thong-tin-co-so",
        "Xã Lũng Cú phát triển du lịch cộng đồng",
        "Nhiều hộ dân làm homestay, tăng thu nhập từ du lịch.",
        "Vàng Thị Mai",
        "HG-DV-03",
        30,
    ),
    (
        "thong-tin-co-so",
        "Xã Pả Vi nâng cao chất lượng sinh hoạt chi bộ",
        "Sinh hoạt chuyên đề được tổ chức đều đặn hằng quý.",
        "Vàng Thị Mai",
        "HG-MV-02",
        50,
    ),
    (
        "thong-tin-co-so",
        "Xã Yên Cường hoàn thành tiêm chủng cho trẻ em",
        "Tỷ lệ tiêm chủng đầy đủ đạt trên 98%.",
        "Ma Văn Hùng",
        "HG-BM-02",
        75,
    ),
    (
        "thong-tin-co-so",
        "Xã Đường Âm tổ chức hội nghị đối thoại với nhân dân",
        "Lãnh đạo xã trả lời trực tiếp 25 ý kiến của người dân.",
        "Ma Văn Hùng",
        "HG-BM-05",
        110,
    ),
]

LINKS = [
    ("Cổng thông tin điện tử tỉnh Hà Giang", "https://hagiang.gov.vn/", 1),
    ("Báo Điện tử Đảng Cộng sản Việt Nam", "https://dangcongsan.vn/", 2),
    ("Tạp chí Tuyên giáo", "https://tuyengiao.vn/", 3),
    ("Báo Hà Giang điện tử", "https://baohagiang.vn/", 4),
]

SEED_DATE = datetime.datetime(2022, 10, 20, 15, 32, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


def _photo(title: str, shade: int = 0):
    """A generated landscape (no photo is shipped): sky, two ridges of the Đồng Văn plateau."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (1200, 675), (158 - shade, 196 - shade, 222))
    draw = ImageDraw.Draw(picture)
    ridge = 260 + shade
    draw.polygon(
        [(0, 420), (250, ridge), (520, 400), (800, 230), (1200, 380), (1200, 675), (0, 675)], fill=(92, 122, 88)
    )
    draw.polygon([(0, 560), (300, 430), (640, 540), (950, 450), (1200, 520), (1200, 675), (0, 675)], fill=(58, 88, 60))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    image = get_image_model()(title=title)
    image.file = ImageFile(buffer, name="hoi-nghi-truc-tuyen.jpg")
    image.save()
    return image


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if part.strip()]


def demo_news_load() -> int:
    """Create what is missing; returns the number of articles created."""
    home = HomePage.objects.get()
    units = {unit.code: unit for unit in Unit.objects.all()}
    categories = {}
    for slug, title, description, unit_code in CATEGORIES:
        categories[slug] = _section(home, slug, title, description, units[unit_code], in_menu=True)
    for slug, title, unit_code in DISTRICT_SECTIONS:
        categories[unit_code] = _section(
            categories["thong-tin-co-so"], slug, title, f"Tin từ huyện {title}.", units[unit_code], in_menu=False
        )
    created = 0
    if not ArticlePage.objects.filter(slug="nganh-tuyen-giao-ha-giang-no-luc-hoan-thanh-tot-nhiem-vu-quy-iii").exists():
        paragraphs = _paragraphs(SEED_ARTICLE.read_text(encoding="utf-8"))
        title, caption, body = paragraphs[0], paragraphs[1], paragraphs[3:]
        body_blocks = [("image", {"image": _photo(caption), "caption": caption})]
        body_blocks += [("paragraph", f"<p>{paragraph}</p>") for paragraph in body]
        _publish(
            categories["tuyen-giao-cac-cap"],
            ArticlePage(
                title=title,
                slug="nganh-tuyen-giao-ha-giang-no-luc-hoan-thanh-tot-nhiem-vu-quy-iii",
                date=SEED_DATE,
                lead=caption,
                body=body_blocks,
                author="Lê Thanh Quỳnh",
                unit=units.get("HG-BTG"),
                featured=True,
                related=[
                    (
                        "link",
                        {
                            "title": "Chỉ thị 19-CT/TW ngày 05/11/2012 của Ban Bí thư",
                            "url": "https://tulieuvankien.dangcongsan.vn/",
                        },
                    ),
                    ("link", {"title": "Lịch sử Đảng bộ tỉnh Hà Giang (1945–2020)", "url": "https://hagiang.gov.vn/"}),
                ],
            ),
            tags=["Nghị quyết Trung ương 5", "Chuyển đổi số"],
        )
        created += 1
    for number, (slug, title, lead, author, unit_code, days) in enumerate(ARTICLES, start=1):
        page_slug = f"bai-{number:02d}"
        if ArticlePage.objects.filter(slug=page_slug).exists():
            continue
        body = [
            ("paragraph", f"<p>{lead}</p>"),
            (
                "paragraph",
                "<p>Theo đánh giá của cấp ủy, kết quả đạt được là tiền đề để tiếp tục thực hiện thắng lợi "
                "nhiệm vụ chính trị của địa phương trong thời gian tới.</p>",
            ),
        ]
        district = "-".join(unit_code.split("-")[:2])
        _publish(
            categories[district] if slug == "thong-tin-co-so" else categories[slug],
            ArticlePage(
                title=title,
                slug=page_slug,
                date=SEED_DATE - datetime.timedelta(days=days, hours=number),
                lead=lead,
                body=body,
                author=author,
                unit=units.get(unit_code),
                featured=number in (7, 12),
            ),
            tags=["Hà Giang"],
        )
        created += 1
    for title, url, order in LINKS:
        WebsiteLink.objects.get_or_create(url=url, defaults={"title": title, "sort_order": order})
    _info_pages(home)
    _albums(home)
    return created


ORGANISATION = [
    (
        "paragraph",
        "<h2>Chức năng</h2><p>Ban Tuyên giáo và Dân vận Tỉnh ủy là cơ quan tham mưu, giúp việc của Tỉnh ủy về "
        "công tác tuyên giáo và dân vận; đồng thời là cơ quan chuyên môn, nghiệp vụ về các lĩnh vực này.</p>",
    ),
    (
        "paragraph",
        "<h2>Cơ cấu tổ chức</h2><ul><li>Lãnh đạo Ban: Trưởng ban và các Phó Trưởng ban</li>"
        "<li>Phòng Lý luận chính trị - Lịch sử Đảng</li><li>Phòng Tuyên truyền - Báo chí - Văn hóa</li>"
        "<li>Phòng Dân vận - Tôn giáo</li><li>Văn phòng Ban</li></ul>",
    ),
    (
        "contact",
        {
            "name": "Văn phòng Ban Tuyên giáo và Dân vận Tỉnh ủy Hà Giang",
            "address": "Đường Nguyễn Trãi, thành phố Hà Giang, tỉnh Hà Giang",
            "phone": "0219 3866 000",
            "email": "bantuyengiao@hagiang.gov.vn",
        },
    ),
]
ORGANISATION_EN = [
    (
        "paragraph",
        "<h2>Functions</h2><p>The Commission for Propaganda, Education and Mass Mobilisation advises the "
        "Provincial Party Committee on propaganda, education and mass mobilisation, and guides this work across the "
        "province.</p>",
    ),
    (
        "paragraph",
        "<h2>Structure</h2><ul><li>Head and Deputy Heads of the Commission</li><li>Division of Political "
        "Theory and Party History</li><li>Division of Propaganda, Press and Culture</li><li>Division of Mass "
        "Mobilisation and Religion</li><li>Office of the Commission</li></ul>",
    ),
    (
        "contact",
        {
            "name": "Office of the Commission",
            "address": "Nguyen Trai Street, Ha Giang City, Ha Giang Province, Viet Nam",
            "phone": "+84 219 3866 000",
            "email": "bantuyengiao@hagiang.gov.vn",
        },
    ),
]


def _info_pages(home: HomePage) -> None:
    for slug, title, language, body in (
        ("gioi-thieu", "Giới thiệu", "vi", ORGANISATION),
        ("english", "About the Commission", "en", ORGANISATION_EN),
    ):
        if not InfoPage.objects.filter(slug=slug).exists():
            page = home.add_child(instance=InfoPage(title=title, slug=slug, language=language, body=body))
            page.save_revision().publish()


def _albums(home: HomePage) -> None:
    if AlbumIndexPage.objects.exists():
        return
    library = home.add_child(instance=AlbumIndexPage(title="Thư viện ảnh", slug="thu-vien-anh"))
    library.save_revision().publish()
    for number, (title, captions) in enumerate(
        [
            ("Hội nghị trực tuyến quý III năm 2022", ["Điểm cầu tỉnh", "Điểm cầu huyện Bắc Mê", "Đại biểu phát biểu"]),
            ("Lễ hội Khèn Mông", ["Trình diễn khèn", "Trang phục truyền thống", "Du khách trên Cao nguyên đá"]),
        ]
    ):
        photos = [
            ("photo", {"image": _photo(caption, shade=10 * i + 30 * number), "caption": caption})
            for i, caption in enumerate(captions)
        ]
        album = library.add_child(
            instance=AlbumPage(title=title, slug=f"album-{number + 1}", date=SEED_DATE.date(), photos=photos)
        )
        album.save_revision().publish()


def _section(parent, slug, title, description, unit, *, in_menu: bool) -> CategoryPage:
    section = CategoryPage.objects.filter(slug=slug).first()
    if section is None:
        section = parent.add_child(
            instance=CategoryPage(title=title, slug=slug, description=description, unit=unit, show_in_menus=in_menu)
        )
        section.save_revision().publish()
    return section


def _publish(category: CategoryPage, article: ArticlePage, tags: list[str]) -> None:
    category.add_child(instance=article)
    article.tags.add(*tags)
    revision = article.save_revision()
    revision.publish()
    # Publishing stamps "first published" with today; the dateline is the article's own date.
    ArticlePage.objects.filter(pk=article.pk).update(first_published_at=article.date)
