import unicodedata

import pytest

from tuyengiao.core.docnumbers import (
    PARTY,
    STATE,
    DocumentNumberError,
    document_number_normalize,
    document_number_parse,
    document_number_spaced,
)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("19-CT/TW", "19-CT/TW"),
        ("19/CT-TW", "19-CT/TW"),
        ("19 - CT/TW", "19-CT/TW"),
        ("Số 19-CT/TW", "19-CT/TW"),
        ("Số: 19-CT/TW", "19-CT/TW"),
        ("19\u2013CT/TW", "19-CT/TW"),
        ("19 \u2014 CT / TW", "19-CT/TW"),
        ("19-ct/tw", "19-CT/TW"),
        ("30/2020/NĐ-CP", "30/2020/NĐ-CP"),
        ("30/2020/ND-CP", "30/2020/NĐ-CP"),
        ("30/2020/NÐ-CP", "30/2020/NĐ-CP"),
        ("05-NQ/TU", "05-NQ/TU"),
        ("5-NQ/TU", "05-NQ/TU"),
        ("238-QĐ/TW", "238-QĐ/TW"),
        ("238-QD/TW", "238-QĐ/TW"),
        ("45-KH/TU", "45-KH/TU"),
        ("123/QĐ-UBND", "123/QĐ-UBND"),
        ("01-HD/BTGTU", "01-HD/BTGTU"),
    ],
)
def test_it_normalises_loose_forms(written, canonical):
    assert document_number_normalize(written) == canonical


def test_it_normalises_nfd_input():
    assert document_number_normalize(unicodedata.normalize("NFD", "238-QĐ/TW")) == "238-QĐ/TW"


def test_party_number_parts():
    number = document_number_parse("19/CT-TW")
    assert (number.number, number.type_code, number.issuer_code, number.system) == (19, "CT", "TW", PARTY)
    assert number.year is None


def test_state_number_parts():
    number = document_number_parse("30/2020/NĐ-CP")
    assert (number.number, number.year, number.type_code, number.issuer_code, number.system) == (
        30,
        2020,
        "NĐ",
        "CP",
        STATE,
    )


def test_state_number_without_year_stays_state():
    assert document_number_parse("123/QĐ-UBND").system == STATE


def test_same_number_written_two_ways_is_equal():
    assert document_number_parse("19 - CT/TW") == document_number_parse("Số 19/CT-TW")


@pytest.mark.parametrize("text", ["", "Chỉ thị về dạy nghề", "CT/TW", "19", "2020/NĐ"])
def test_it_refuses_text_that_is_no_number_with_a_vietnamese_message(text):
    with pytest.raises(DocumentNumberError) as error:
        document_number_parse(text)
    assert error.value.code == "invalid_document_number"
    assert "không phải là số ký hiệu" in error.value.message


CODES = ["NQ", "CT", "KH", "QĐ", "HD"]


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("07 CT TW", "07-CT/TW"),
        ("7 ct tw", "07-CT/TW"),
        ("Số 238 QĐ TW", "238-QĐ/TW"),
        ("so: 238 qd tw", "238-QĐ/TW"),
        ("01  hd  btg-tu", "01-HD/BTG-TU"),
        ("2020 ha giang", None),  # "ha" is no type's code
        ("07 CT TW TW", None),
        ("07 CT", None),
        ("123456 CT TW", None),
    ],
)
def test_a_party_number_with_spaces_for_marks_is_one_where_the_middle_word_is_a_type_code(written, canonical):
    number = document_number_spaced(written, lambda: CODES)
    assert (str(number) if number else None) == canonical


def test_the_type_codes_are_asked_for_only_by_text_shaped_like_a_spaced_number():
    asked = []

    def codes():
        asked.append(True)
        return CODES

    for text in ("Chỉ thị về dạy nghề", "19-CT/TW", "19 CT"):
        assert document_number_spaced(text, codes) is None
    assert asked == []
    assert str(document_number_spaced("19 CT TW", codes)) == "19-CT/TW" and asked == [True]
