import pytest

from knowledge.library import load_directory, load_shipped_library, signature_hash
from knowledge.signature import SignatureError, parse_signature_toml, signature_from_dict

VALID = """
id = "demo"
method = "M00"
title_vi = "Thử"
title_en = "Demo"
summary_vi = "Tóm tắt"
summary_en = "Summary"
weight = 1.0
cues = ["một hai", "ba bốn", "năm sáu", "bảy tám"]
strong_cues = []
advice_vi = ["Một.", "Hai."]
advice_en = ["One.", "Two."]
examples = ["a", "b", "c"]
counter_examples = ["d", "e"]
sources = []
"""


def test_shipped_library_loads_and_covers_the_methods():
    library = load_shipped_library()
    assert len(library) >= 25
    for sig in library:
        assert len(sig.examples) >= 3 and len(sig.counter_examples) >= 2
        assert sig.title_vi and sig.title_en and sig.advice_vi and sig.advice_en


def test_valid_file_parses():
    assert parse_signature_toml(VALID, "demo.toml", "demo").id == "demo"


def test_broken_toml_names_file_and_line():
    with pytest.raises(SignatureError) as err:
        parse_signature_toml(VALID.replace("weight = 1.0", "weight = = 1"), "demo.toml")
    assert err.value.source == "demo.toml" and err.value.line == 8
    assert "demo.toml:8" in str(err.value)


@pytest.mark.parametrize(
    "change,line",
    [
        (("weight = 1.0", "weight = 3.0"), 8),
        (('examples = ["a", "b", "c"]', 'examples = ["a"]'), 13),
        (('cues = ["một hai"', 'cues = ["một"'), 9),
        (('title_vi = "Thử"', 'title_vi = ""'), 4),
        (('id = "demo"', 'id = "Demo Bad"'), 2),
    ],
)
def test_invalid_fields_name_the_line(change, line):
    with pytest.raises(SignatureError) as err:
        parse_signature_toml(VALID.replace(*change), "demo.toml")
    assert err.value.line == line


def test_unknown_key_is_refused():
    with pytest.raises(SignatureError, match="unknown key"):
        parse_signature_toml(VALID + 'colour = "red"\n', "demo.toml")


def test_id_must_match_file_name():
    with pytest.raises(SignatureError, match="file name"):
        parse_signature_toml(VALID, "other.toml", "other")


def test_directory_with_a_malformed_file_is_refused(tmp_path):
    (tmp_path / "demo.toml").write_text(VALID, "utf-8")
    (tmp_path / "bad.toml").write_text("id = [", "utf-8")
    with pytest.raises(SignatureError, match=r"bad\.toml"):
        load_directory(tmp_path)


def test_officer_edit_goes_through_the_same_validator():
    data = parse_signature_toml(VALID, "demo.toml").to_dict()
    data["cues"] = []
    with pytest.raises(SignatureError):
        signature_from_dict(data)


def test_hash_changes_with_content():
    a = parse_signature_toml(VALID, "demo.toml")
    b = parse_signature_toml(VALID.replace("Tóm tắt", "Khác"), "demo.toml")
    assert signature_hash(a) != signature_hash(b)
