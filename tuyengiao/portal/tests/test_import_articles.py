"""import_articles: good rows become published articles, bad rows are reported and skipped."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from tuyengiao.portal.models import ArticlePage

HEADER = "Tiêu đề,Ngày đăng,Chuyên mục,Tác giả,Mã đơn vị,Sapo,Tệp nội dung,Ảnh,Từ khóa\n"


@pytest.fixture
def old_portal(tmp_path):
    picture = io.BytesIO()
    Image.new("RGB", (640, 360), (120, 150, 90)).save(picture, "JPEG")
    (tmp_path / "hoi-nghi.jpg").write_bytes(picture.getvalue())
    (tmp_path / "gia-mao.jpg").write_bytes(b"%PDF-1.4 not an image")
    (tmp_path / "bai1.html").write_text(
        "<p>Sáng 15/3, Huyện ủy Bắc Mê tổ chức hội nghị.</p><script>alert(1)</script><p onclick='x()'>Hết.</p>",
        encoding="utf-8",
    )
    rows = [
        "Bắc Mê học tập nghị quyết,15/03/2021 08:30,Bắc Mê,Hoàng Văn Dũng,HG-BM,Hội nghị quán triệt,bai1.html,"
        "hoi-nghi.jpg|Quang cảnh hội nghị,nghị quyết",
        "Bài không có ngày,,Bắc Mê,,,,,,",
        "Bài sai chuyên mục,16/03/2021,Thể thao,,,,,,",
        "Bài có ảnh giả,17/03/2021,bac-me,,,,,gia-mao.jpg|Ảnh,",
    ]
    (tmp_path / "articles.csv").write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return tmp_path


def run(directory):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", directory, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_good_rows_become_published_articles_and_bad_rows_are_reported(news, old_portal, client):
    out, err = run(old_portal)
    assert out.strip() == "Bài viết: tạo mới 1, cập nhật 0, bỏ qua 3 dòng."
    assert err.splitlines() == [
        "Dòng 3: “” không phải là ngày; hãy ghi theo dạng dd/mm/yyyy hh:mm.",
        "Dòng 4: không có chuyên mục “Thể thao”.",
        "Dòng 5: “gia-mao.jpg” không phải là ảnh.",
    ]
    article = ArticlePage.objects.get(title="Bắc Mê học tập nghị quyết")
    assert article.live and article.get_parent().slug == "bac-me"
    assert (article.author, article.unit.code, article.lead) == ("Hoàng Văn Dũng", "HG-BM", "Hội nghị quán triệt")
    assert article.date.strftime("%d/%m/%Y %H:%M") == "15/03/2021 01:30"  # stored in UTC
    html = client.get(article.url).content.decode()
    assert "Quang cảnh hội nghị" in html and "Sáng 15/3, Huyện ủy Bắc Mê" in html
    assert "alert(1)" not in html and "onclick" not in html
    assert not ArticlePage.objects.filter(title="Bài có ảnh giả").exists()


def test_importing_again_updates_and_never_duplicates(news, old_portal):
    run(old_portal)
    (old_portal / "bai1.html").write_text("<p>Nội dung đã sửa.</p>", encoding="utf-8")
    out, _err = run(old_portal)
    assert ArticlePage.objects.filter(title="Bắc Mê học tập nghị quyết").count() == 1
    assert "Nội dung đã sửa." in ArticlePage.objects.get(title="Bắc Mê học tập nghị quyết").body_text()


def test_a_folder_without_a_table_is_refused(news, tmp_path):
    with pytest.raises(CommandError, match="articles.csv"):
        run(tmp_path)
