"""The letters of the scripts without capitals, and a name's bounds in them: shared by `name_cues` and
`script_names` (which `name_cues` calls), so neither imports the other both ways (tests/test_layers.py).

Moved out of `name_cues` unchanged (issue 18, nineteenth pass).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

HAN = "\u3400-\u9fff\u3005"  # CJK ideographs and 々
KANA = re.compile("[\u3040-\u30ff]")
HANGUL = "\uac00-\ud7a3"
ARABIC = "\u0621-\u064a\u0671-\u06d3"  # (issue 18, eighteenth pass: with Urdu's and Persian's own letters)
HEBREW = "\u05d0-\u05ea"
DEVANAGARI = "\u0900-\u0963\u0971-\u097f"  # letters and signs, not the danda nor digits
#: Titles and endings that follow a name in those scripts, not part of it.
SCRIPT_SUFFIXES = ("先生", "女士", "小姐", "様", "입니다", "이고", "이에요", "예요", "요", "고객님", "님", "씨")
#: Words after those cues that are no names: greetings, "full" (الاسم الكامل), "number", kin, "confirm", "order".
SCRIPT_STOP_WORDS = frozenset({
    "السلام", "عليكم", "وعليكم", "الكامل", "رقم", "مرحبا", "شكرا", "شكراً", "صباح", "مساء", "أهلا", "اهلا", "تمام", "من",
    "في", "على", "عن", "هذا", "هذه", "الحساب", "الطلب", "שלום", "תודה", "מספר", "息子", "娘", "奥様", "主人", "担当",
    "確認", "확인", "부탁", "고객", "안녕", "订单", "訂單", "电话", "電話", "手机", "手機", "地址", "号码", "號碼",
    # issue 18, eighteenth pass: Hindi's and Urdu's verbs and joins that end a name ("राहुल शर्मा है", "عمران خان ہے")
    "है", "हैं", "हूँ", "हूं", "था", "थी", "और", "जी", "का", "की", "के", "ہے", "ہیں", "ہوں", "تھا", "اور", "کا", "کی",
    "کے", "جی", "ہو",
    # issue 18, pass 20: Persian's ("مریم حسینی است", "هستم"), and its "family name" and "full" of a form's label
    "است", "هستم", "هستند", "میباشد", "می‌باشد", "خانوادگی", "کامل",
})
SCRIPT_STOP_CHARS = frozenset("不的是和与與请請已我你您他她它这這那们們在有没沒")
#: The commonest family names of China (simplified and traditional): `script_names` reads names by them, and
#: `name_cues` a name after a particle ("尊敬的张伟先生").
HAN_SURNAME_CHARS = frozenset(
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何林罗羅郑鄭梁谢謝宋唐韩韓冯馮邓鄧曹彭曾萧蕭田董潘袁蔡蒋蔣余"
    "杜叶葉程魏苏蘇吕呂丁沈姚卢盧钟鍾崔谭譚陆陸汪范金石廖贾賈夏韦韋付方邹鄒熊孟秦邱侯江尹薛闫閆段雷黎史龙龍陶贺賀顾顧"
    "毛郝龚龔邵万萬覃武戴孔汤湯庞龐樊兰蘭殷施欧歐")
#: Korea's common surnames: a Hangul name before a title must start with one ("고객님" is no name).
KOREAN_SURNAMES = frozenset("김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용")


def without_script_suffixes(text: str, start: int, end: int) -> int:
    """Where the name at text[start:end] ends without the titles and endings written after it in Han or Hangul
    ("中村 恵子様", "정태호님", "윤미경입니다"), keeping at least two characters."""
    changed = True
    while changed:
        changed = False
        for suffix in SCRIPT_SUFFIXES:
            if text.endswith(suffix, start, end) and end - len(suffix) - start >= 2:
                end, changed = end - len(suffix), True
    return end


def script_name(text: str, start: int, end: int, japanese: bool) -> Iterator[tuple[int, int]]:
    """The name at text[start:end] without a title or ending after it; a Han name has two or three characters
    (Chinese) unless the text is Japanese (a surname, a space, a given name); Arabic and Hebrew names stop at
    three words."""
    name = text[start:end]
    if name.split(" ")[0] in SCRIPT_STOP_WORDS or name[:1] in SCRIPT_STOP_CHARS:
        return
    if ord(name[0]) >= 0x3000 and name[:2] in SCRIPT_STOP_WORDS:  # Han and Hangul words have no spaces
        return
    end = without_script_suffixes(text, start, end)
    name = text[start:end]
    first = name[0]
    if "\u3400" <= first <= "\u9fff" or first == "\u3005":
        if " " in name and not japanese:
            name = name.split(" ")[0]
        if not japanese and len(name) > 3:
            return
        end = start + len(name)
    elif "\uac00" <= first <= "\ud7a3":
        if len(name) > 4:
            return
    else:
        words = name.split(" ")[:3]
        for index, word in enumerate(words[1:], 1):  # "राहुल शर्मा है", "أحمد محمود من": a verb or a join ends it
            if word in SCRIPT_STOP_WORDS:
                words = words[:index]
                break
        end = start + len(" ".join(words))
    yield start, end
