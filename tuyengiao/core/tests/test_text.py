import unicodedata

import pytest

from tuyengiao.core.text import fold, nfc


def test_it_folds_accented_text_to_plain_lower_case():
    assert fold("Đảng bộ tỉnh Hà Giang") == "dang bo tinh ha giang"


def test_it_folds_nfd_input_like_nfc():
    nfd = unicodedata.normalize("NFD", "Đảng bộ")
    assert nfd != "Đảng bộ"
    assert fold(nfd) == fold("Đảng bộ") == "dang bo"


@pytest.mark.parametrize("d", ["Đ", "đ", "Ð", "ð"])
def test_it_folds_d_with_stroke_and_its_look_alike(d):
    assert fold(f"{d}oàn") == "doan"


def test_it_folds_upper_case():
    assert fold("TUYÊN GIÁO CÁC CẤP") == "tuyen giao cac cap"


def test_old_and_new_tone_placement_fold_alike():
    assert fold("hoà") == fold("hòa") == "hoa"
    assert fold("thuỷ") == fold("thủy") == "thuy"


def test_it_collapses_whitespace():
    assert fold("  Bắc\u00a0 Mê \n") == "bac me"


def test_nfc_composes_decomposed_text():
    nfd = unicodedata.normalize("NFD", "Mèo Vạc")
    assert nfc(nfd) == "Mèo Vạc"
    assert len(nfc(nfd)) == len("Mèo Vạc")
