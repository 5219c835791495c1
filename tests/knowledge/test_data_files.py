import re

import pytest

from knowledge.data_files import DataFileError, folder_texts, read_toml


def test_shipped_data_files_parse():
    assert read_toml("data/official.toml")["org"]
    assert read_toml("data/signals.toml")["signal"]


def test_a_missing_file_is_named():
    with pytest.raises(DataFileError, match=re.escape("knowledge/data/absent.toml")):
        read_toml("data/absent.toml")


def test_a_file_that_is_not_toml_is_named():
    with pytest.raises(DataFileError, match=re.escape("knowledge/signatures/README.md: not valid TOML")):
        read_toml("signatures/README.md")


def test_folder_texts_lists_only_the_suffix_by_name():
    names = [name for name, _ in folder_texts("signatures")]
    assert names == sorted(names) and names and all(name.endswith(".toml") for name in names)
