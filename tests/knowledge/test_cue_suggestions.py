"""Cue phrases suggested from confirmed scam messages (the review queue's "scam + new method")."""

from knowledge.cue_suggestions import suggest_cues


def test_cue_suggestions_count_accent_copies_once_and_skip_numbers():
    cues = suggest_cues(
        [
            "Chúc mừng bạn được chọn làm cộng tác viên, nhắn Zalo 0912345678 nhé",
            "Chuc mung ban duoc chon lam cong tac vien, nhan Zalo 0987654321 nhe",
        ]
    )
    assert cues[0] == "chúc mừng bạn được chọn làm cộng tác viên"
    assert "chuc mung ban duoc chon lam cong tac vien" not in cues
    assert all(not any(ch.isdigit() for ch in cue) for cue in cues)
