"""A new scam method as an officer would type it into /sig_add, answer by answer, and a message it finds."""

NEW_ID = "game-item-sale"
ANSWERS = {
    "id": NEW_ID,
    "method": "-",
    "title_vi": "Lừa bán vật phẩm game giá rẻ",
    "title_en": "-",
    "summary_vi": "Kẻ gian rao bán tài khoản, vật phẩm game giá rẻ, bắt chuyển khoản trước rồi chặn liên lạc.",
    "summary_en": "Scammers sell cheap game accounts and items, take the money first and disappear.",
    "cues": "• bán acc game giá rẻ\n• chuyển khoản trước giao acc\n• skin hiếm giá hạt dẻ\n• inbox admin shop game",
    "advice_vi": "Không chuyển tiền trước cho người bán lạ.\nChỉ mua vật phẩm trong ứng dụng chính thức của trò chơi.",
    "advice_en": "-",
    "examples": (
        "Shop bán acc game giá rẻ, skin hiếm giá hạt dẻ, chuyển khoản trước giao acc ngay\n"
        "Acc vip full skin hiếm giá hạt dẻ, inbox admin shop game để chốt\n"
        "Bán acc game giá rẻ nhất thị trường, chuyển khoản trước giao acc trong 5 phút"
    ),
    "counter_examples": (
        "Garena: nạp thẻ trong ứng dụng chính thức để nhận quà.\nCuối tuần cả nhóm chơi game ở nhà Minh nhé."
    ),
}
CITIZEN_TEXT = (
    "Bên mình bán acc game giá rẻ, nhiều skin hiếm giá hạt dẻ lắm. Bạn chuyển khoản trước giao acc liền nha, "
    "inbox admin shop game."
)
