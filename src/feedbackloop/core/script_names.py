"""Issue 18, nineteenth pass: names written in their own scripts, as native writers cue them.

The seventeenth and eighteenth passes read names in Han, Hangul, Arabic, Hebrew and Devanagari after a few
field words ("姓名：", "이름은", "الاسم:", "שם:", "मेरा नाम"). On text nobody tuned for, names in those and other
scripts were found about two times in three. This module reads them by the families of cues each language
uses, written from how the languages work, not from the corpus:

- an introduction or a name field before the name, per language (Thai "ผมชื่อ", "ชื่อผู้รับ"; Russian and
  Ukrainian "меня зовут", "мене звати", "ФИО:", "Получатель:"; Greek "με λένε", "ονομάζομαι", "Ονοματεπώνυμο:";
  Hebrew "שמי", "קוראים לי"; Bengali "আমার নাম"; Tamil "என் பெயர்"; Korean "제 이름은", "받는 사람은", "고객명:",
  "피보험자:"; Japanese "担当：", "私は…です"; Chinese "本人", "收货人是");
- a title or honorific before the name, kept in the finding (authors label "г-н Илиев", "κ. Λαμπράκη",
  "أستاذ محمود" whole): Thai "คุณ", "นาย", "นางสาว"; Russian "г-н", "господин"; Greek "κ.", "κα", "κύριε";
  Hebrew "מר", "גב'"; Arabic "السيد", "الأستاذة"; Hindi "श्री", "श्रीमती"; Bengali "জনাব"; Tamil "திரு";
  Vietnamese kin terms ("anh Quân", "chị Hạnh", "ông Phúc");
- a title after the name: Chinese surname and a title ("王经理", "李老师"), a nickname ("小刘", "老王"), a
  katakana name before "さん" or "様" ("タカシさん");
- a chat's speaker label in those scripts: a role, then the name ("[상담원 김지수]", "เจ้าหน้าที่ (ฝน):",
  "Оператор Ірина:", "خدمة العملاء - منى:", "נציגה מיכל:", "Nhân viên Thảo:");
- (pass 24) a greeting, then a name listed in its script, or a vocative of one, before a comma ("שלום דני,",
  "مرحبا أحمد،", "Καλημέρα Γιώργο,", "Вітаю, Олено!"), and an Arabic "father of" or "mother of" before one ("أبو علي");
- a signature under a closing word (敬具, 감사합니다, 谢谢, ขอบคุณค่ะ, С уважением, Με εκτίμηση, בברכה, مع
  التحية, धन्यवाद) or a Korean name before "드림"/"올림";
- the commonest family names of China, Japan and Korea as a gazetteer: a Han name standing alone in text
  written in Latin letters ("my father 王建国 will pay"), a Japanese surname, a space and a given name
  ("山口 恵美"), a Korean answer "이서연이고요".

A name ends at the particles and verbs that follow it (Thai "ครับ", "ค่ะ"; Korean "입니다", "이고요";
Japanese "です", "と申します"; Hindi "है"): scripts without spaces between words glue them to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from feedbackloop.core.script_letters import (
    ARABIC,
    DEVANAGARI,
    HAN,
    HAN_SURNAME_CHARS,
    HANGUL,
    HEBREW,
    KANA,
    KOREAN_SURNAMES,
    SCRIPT_STOP_WORDS,
    script_name,
)


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


THAI = "\u0e01-\u0e4e"
ETHIOPIC = "\u1200-\u135a"  # (issue 18, pass 20: Amharic's syllables, not its punctuation "።" "፣")
BENGALI = "\u0980-\u09fe"
TAMIL = "\u0b80-\u0bfa"
KATAKANA = "\u30a1-\u30fa\u30fc"
CYR_UP = "\u0410-\u042f\u0401\u0404\u0406\u0407\u0490"
CYR = "\u0400-\u04ff\u02bc'’"
GREEK_UP = "\u0391-\u03a9\u0386\u0388-\u038f"
GREEK = "\u0370-\u03ff\u1f00-\u1fff"
VN_UP = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ"
VN_LOW = "a-zđâăêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵấầẩẫậắằẳẵặếềểễệốồổỗộớờởỡợứừửữự"
CYR_NAME = rf"[{CYR_UP}][{CYR}]+(?:-[{CYR_UP}][{CYR}]+)?"
CYR_INITIAL = rf"[{CYR_UP}]\.(?:[ ]?[{CYR_UP}]\.)?"
GREEK_NAME = rf"[{GREEK_UP}][{GREEK}]+(?:-[{GREEK_UP}][{GREEK}]+)?"
VN_NAME = rf"[{VN_UP}][{VN_LOW}]*"

#: One name in any of the scripts this module reads (the words after a cue); `native_name` then trims it.
ANY_NAME = (
    rf"(?:{CYR_NAME}(?:[ ](?:{CYR_NAME}|{CYR_INITIAL})){{0,2}}|{CYR_INITIAL}[ ]?{CYR_NAME}"
    rf"|{GREEK_NAME}(?:[ ]{GREEK_NAME}){{0,2}}"
    rf"|[{THAI}]{{2,}}(?:[ ][{THAI}]{{2,}})?"
    rf"|[{BENGALI}]{{2,}}(?:[ ][{BENGALI}]{{2,}}){{0,2}}"
    rf"|[{TAMIL}]{{2,}}(?:[ ][{TAMIL}]{{2,}}){{0,2}}"
    rf"|[{KATAKANA}]{{2,10}}(?:[・＝ ][{KATAKANA}]{{2,10}})?"
    rf"|[{HAN}]{{1,4}}(?:[ ][{HAN}]{{1,3}})?|[{HANGUL}]{{2,7}}"
    rf"|[{ARABIC}]{{2,}}(?:[ ][{ARABIC}]{{2,}}){{0,3}}|[{HEBREW}][{HEBREW}'׳\"״-]+(?:[ ][{HEBREW}][{HEBREW}'׳-]+){{0,2}}"
    rf"|[{DEVANAGARI}]{{2,}}(?:[ ][{DEVANAGARI}]{{2,}}){{0,3}}"
    rf"|[{ETHIOPIC}]{{2,}}(?:[ ][{ETHIOPIC}]{{2,}}){{0,2}}"
    rf"|{VN_NAME}(?:[ ]{VN_NAME}){{0,3}})")

#: Introductions and name fields, per language, after which a name follows (a colon, a space or nothing).
INTRO_CUES = (
    # Thai: "my name is" (male, female, plain), the recipient's, the account's, the nickname
    "ผมชื่อ", "ดิฉันชื่อ", "ฉันชื่อ", "หนูชื่อ", "เราชื่อ", "ชื่อผู้รับ", "ชื่อผู้ส่ง", "ชื่อบัญชี", "ชื่อเล่น", "ชื่อ-นามสกุล",
    "ชื่อนามสกุล", "ชื่อ-สกุล", "ชื่อจริง", "นามสกุล", "ชื่อลูกค้า", "ผู้รับ:", "ผู้ส่ง:", "ชื่อ:", "ชื่อ",
    # Russian, Ukrainian, Bulgarian
    "меня зовут", "Меня зовут", "мене звати", "Мене звати", "мое имя", "моё имя", "Моё имя", "Мое имя", "моє ім'я",
    "ФИО:", "ФИО", "ПІБ:", "ПІБ", "Ф.И.О.:", "Получатель:", "Отримувач:", "Отправитель:", "Відправник:",
    "Заявитель:", "Заявник:", "Имя:", "Ім'я:", "Ім’я:", "Контактное лицо:",
    "Контактна особа:", "казвам се", "Казвам се", "Име:", "на името на",
    # relations: Arabic, Hebrew, Russian, Ukrainian, Greek ("أخي خالد", "אחי דני", "мой муж Иван", "η κόρη μου η")
    "أخي", "أختي", "أبي", "أمي", "زوجي", "زوجتي", "ابني", "ابنتي", "صديقي", "صديقتي", "والدي", "والدتي", "المرسل",
    "المرسل هو", "معك", "معاك", "معكم", "المستلم", "أخوكم", "أختكم", "ابنكم", "مقدم الطلب", "مقدمة الطلب", "صاحب الطلب", "اسم العميل", "المستفيد", "اسم المستفيد", "المسؤول", "المسؤولة", "אחי", "אחותי", "בעלי", "אשתי", "הבן שלי",
    "הבת שלי", "אבא שלי", "אמא שלי", "мой муж", "моя жена", "мой сын", "моя дочь", "мой брат", "моя сестра", "мама",
    "муж", "жена", "сын", "дочь", "брат", "сестра", "мій чоловік", "моя дружина", "чоловік", "дружина", "син", "донька",
    "ο σύζυγός μου", "η σύζυγός μου", "ο γιος μου", "η κόρη μου", "ο αδερφός μου", "η αδερφή μου", "η μητέρα μου",
    "ο πατέρας μου",
    # Greek
    "είμαι", "Είμαι", "λέγομαι", "Λέγομαι", "με λένε", "Με λένε", "ονομάζομαι", "Ονομάζομαι", "το όνομά μου είναι", "Ονοματεπώνυμο:", "Όνομα:", "Παραλήπτης:",
    "στο όνομα",
    # Hebrew
    "שמי", "קוראים לי", "שם מלא:", "שם הלקוח:", "שם הלקוחה:", "נמען:",
    # Bengali, Tamil, Hindi
    "আমার নাম", "নাম:", "என் பெயர்", "எனது பெயர்", "பெயர்:", "नाम:", "मेरा नाम",
    # Amharic (issue 18, pass 20): "my name (is)", "name:", "full name:", "I am called"
    "ስሜ", "ስም:", "ስም :", "ሙሉ ስም:", "ሙሉ ስም", "የኔ ስም", "የእኔ ስም", "ስሜ፦", "ስም፦",
    # Korean
    "제 이름은", "이름은", "이름:", "성함은", "성함:", "성명:", "고객명:", "고객명", "받는 사람은", "받는 사람:", "받는 분:",
    "보내는 사람:", "수령인:", "수취인:", "예금주:", "예금주", "피보험자:", "계약자:", "신청인:", "보호자:", "담당자:",
    "환자명:", "작성자:",
    # Japanese
    "担当：", "担当:", "氏名：", "氏名:", "名前：", "名前:", "お名前：", "契約者：", "契約者:", "申込者：",
    "受取人：", "保護者：", "保護者:", "名前は", "氏名は", "名前が",
    # Chinese
    "收货人是", "我係", "我叫做", "本人係", "我個名係", "旧姓：", "旧姓:", "旧姓", "收件人是", "联系人是", "我的名字是", "我名叫", "寄件人：", "寄件人:", "收件人：", "收件人:",
    "收貨人：", "聯絡人：", "姓名：", "姓名:",
    # (issue 18, twentieth pass: the people of Chinese, Japanese and Korean forms: passenger, cardholder, account
    # name, payee, applicant, person in charge, patient, owner, signer, sender; a colon after each)
    "乘客：", "旅客：", "持卡人：", "户名：", "戶名：", "收款人：", "付款人：", "申请人：", "申請人：", "负责人：", "負責人：",
    "经办人：", "經辦人：", "患者：", "业主：", "業主：", "签收人：", "簽收人：", "聯繫人：", "联络人：", "发件人：", "發件人：",
    "订购人：", "訂購人：", "會員：", "会员：", "乘客:", "持卡人:", "户名:", "收款人:", "申请人:", "联系人：", "联系人:",
    "送り主：", "送り主:", "差出人：", "差出人:", "ご依頼主：", "依頼主：", "お届け先：", "宛名：", "名義：", "口座名義：",
    "会員名：", "代表者：", "利用者：", "ご契約者：", "患者名：", "お客様名：", "受取人名：", "ご担当者：",
    "주문자:", "주문자명:", "구매자:", "예약자:", "신청자:", "가입자:", "명의자:", "수신인:", "발신인:", "대표자:",
    "받는분:", "보내는분:", "수령자:", "고객 성함:", "주문자 :", "예약자명:", "참석자:",
    # (issue 18, pass 21: the sender and the addressee of a forwarded mail's header, as Outlook, Gmail and Naver
    # write them in Korean, Japanese and traditional Chinese: "보낸 사람: 이서연 <…>", "寄件者: 林志明", "送信者: 佐藤 花子")
    "보낸 사람:", "보낸사람:", "받는사람:", "참조:", "寄件者：", "寄件者:", "收件者：", "收件者:", "副本：", "副本:",
    "送信者：", "送信者:", "宛先：", "宛先:", "发件人:", "發件人:", "抄送：", "抄送:", "转发人：", "轉寄者：",
    # Vietnamese
    "Tôi là", "tôi là", "Em là", "em là", "Mình là", "mình là", "Tôi tên là", "tôi tên là", "Em tên là", "em tên là",
    "tên em là", "Tên em là", "Tên tôi là", "tên tôi là", "Người nhận:", "Người gửi:", "Họ tên:", "Họ và tên:",
    "Chủ tài khoản:", "Toi la", "toi la", "toi ten la", "Toi ten la", "em ten la", "Em ten la", "ten em la",
    "Ho ten:", "Nguoi nhan:", "tên", "Tên:", "tên:", "KH:", "Khách hàng", "khách hàng", "khách",
)
#: Issue 18, pass 24: Greek and Cyrillic field words in capitals, as forms print them ("ΟΝΟΜΑΤΕΠΩΝΥΜΟ:", "ПІБ:"):
#: Greek capitals drop the accents.
GREEK_CAPITAL_ACCENTS = str.maketrans("ΆΈΉΊΌΎΏΪΫ", "ΑΕΗΙΟΥΩΙΥ")
CAPITAL_FIELD_CUES = tuple(
    cue.upper().translate(GREEK_CAPITAL_ACCENTS) for cue in INTRO_CUES
    if cue.endswith(":") and ("\u0370" <= cue[0] <= "\u03ff" or "\u0400" <= cue[0] <= "\u04ff") and cue.upper() != cue)
#: Thai introductions the name follows unspaced ("ผมชื่อสมชาย").
THAI_GLUED_CUES = frozenset({"ผมชื่อ", "ดิฉันชื่อ", "ฉันชื่อ", "หนูชื่อ", "เราชื่อ"})
#: Titles and honorifics before a name (`redact.TITLE_BEFORE` joins those of the scripts whose authors label
#: them with the name: "г-н Илиев", "κ. Λαμπράκη", "أستاذ محمود").
TITLE_CUES = (
    "นางสาว", "นาย", "นาง", "คุณ", "ด.ช.", "ด.ญ.", "เด็กชาย", "เด็กหญิง",
    "г-н", "г-жа", "г-ца", "Г-н", "Г-жа", "господин", "госпожа", "Господин", "Госпожа", "господину", "госпоже",
    "Уважаемый", "Уважаемая", "уважаемый", "уважаемая", "Шановний", "Шановна", "шановний", "шановна", "пан", "пані",
    "Пан", "Пані", "пане", "Пане", "д-р", "Д-р", "госпођа", "госпођо", "Госпођа", "господине", "Господине", "гђа",
    "κ.", "κα", "κα.", "κος", "κ ", "κύριε", "κυρία", "Κύριε", "Κυρία", "κυρίου", "κυρίας", "Κα", "Κος",
    "מר", "גב'", "גב׳", "גברת", "הגב'", "ד\"ר", "ד״ר", "עו\"ד",
    "السيد", "السيدة", "الأستاذ", "الأستاذة", "أستاذ", "أستاذة", "الاستاذ", "استاذ", "المهندس", "المهندسة", "م.",
    "الدكتور", "الدكتورة", "د.", "الشيخ", "الحاج", "الأخ", "الأخت",
    "श्री", "श्रीमती", "सुश्री", "कुमारी", "डॉ.", "डॉ",
    "জনাব", "জনাবা", "শ্রী", "শ্রীমতী", "বেগম", "ডাঃ", "ডা.",
    "திரு.", "திரு", "திருமதி", "செல்வி", "டாக்டர்",
    "አቶ", "ወ/ሮ", "ወ/ሪት", "ዶ/ር", "ወይዘሮ", "ወይዘሪት",
    "bạn", "Bạn", "em", "cháu", "thầy", "Thầy", "anh", "chị", "Anh", "Chị", "ông", "Ông", "bà", "Bà", "cô", "Cô", "chú", "Chú", "bác", "Bác",
)
#: The roles of a chat's speaker labels ("[상담원 김지수]", "Оператор Ірина:", "เจ้าหน้าที่ (ฝน):").
SPEAKER_ROLES = (
    "상담원", "상담사", "매니저", "직원", "기사", "担当", "担当者", "オペレーター", "客服", "客服专员", "客服專員", "专员",
    "เจ้าหน้าที่", "พนักงาน", "แอดมิน", "Оператор", "оператор", "Менеджер", "менеджер", "Консультант", "Специалист",
    "Агент", "Співробітник", "Фахівець", "Служител", "Εκπρόσωπος", "Υπάλληλος", "Τεχνικός", "נציג", "נציגה",
    "הנציג", "הנציגה", "الموظف", "الموظفة", "خدمة العملاء", "الدعم", "المندوب", "Nhân viên", "NV", "Tư vấn viên",
    "CSKH", "Nhan vien", "एजेंट", "प्रतिनिधि", "कर्मचारी",
    # English roles before a name in another script ("Agent 박지훈:", "Support (منى):")
    "Agent", "agent", "Support", "Operator", "Advisor", "Adviser", "Staff", "Rep", "CS", "Admin", "Seller", "Driver",
    "Courier", "Manager",
)
#: A chat's speaker label that is a name alone, in a script ("王伟：", "Марина:", "محمد:"): a name only when the
#: same label opens two lines or more (field labels, "地址：", "Адрес:", open one).
NAME_LABEL = re.compile(rf"(?m)^[ \t]*(?:\[[^\]\n]{{0,12}}\][ \t]*)?(?P<name>{ANY_NAME})[ \t]*[:：]")
NOT_LABELS = words("""
Клиент Клиентка Клієнт Оператор Менеджер Покупатель Продавец Покупець Продавець Бот Система Поддержка Підтримка Тема Дата
Адрес Адреса Телефон Пользователь Користувач Агент Πελάτης Εκπρόσωπος Χρήστης Θέμα العميل العميلة الموظف الموظفة
المستخدم النظام البوت לקוח לקוחה נציג נציגה משתמש ลูกค้า เจ้าหน้าที่ แอดมิน 客户 客戶 用户 用戶 客服 系统 系統 顾客
お客様 担当者 オペレーター 고객 상담원 상담사 사용자 Khách KH Khách hàng Nhân viên NV
Абонент Заказчик Специалист Консультант Курьер Водитель Покупатель Υπάλληλος Τεχνικός Πωλητής הלקוח הלקוחה הנציג הנציגה
זבון زبون عميل موظف مندوب وكيل พนักงาน ร้าน แม่ค้า 卖家 买家 商家 店家 店員 スタッフ 판매자 구매자 기사 기사님 매니저
Вопрос Ответ Статус Сумма Заказ Товар Примечание Комментарий Итого Имя Фамилия Город Страна Питання Відповідь Сума
Замовлення Примітка Коментар Місто Ερώτηση Απάντηση Σημείωση Κατάσταση Ποσό Παραγγελία Όνομα Τηλέφωνο Διεύθυνση
سؤال جواب ملاحظة رقم שאלה תשובה הערה סטטוס סכום הזמנה טלפון כתובת שם ชื่อ ที่อยู่ เบอร์ โทร อีเมล หมายเหตุ
""")
#: Issue 18, pass 24: greetings in Hebrew, Arabic, Greek, Russian and Ukrainian, after which a name or two stands
#: before a comma or a line's end ("שלום דני,", "مرحبا أحمد،", "Καλημέρα Γιώργο,", "Вітаю, Олено!").
SCRIPT_GREETINGS = (
    "שלום", "היי", "הי", "בוקר טוב", "ערב טוב", "צהריים טובים", "אהלן",
    "مرحبا", "مرحباً", "أهلا", "أهلاً", "اهلا", "عزيزي", "عزيزتي", "صباح الخير", "مساء الخير", "هلا",
    "Γεια σας", "Γεια σου", "Γειά σας", "Γειά σου", "Καλημέρα", "Καλησπέρα", "Αγαπητέ", "Αγαπητή", "Χαίρετε",
    "Привет", "Здравствуйте", "Добрый день", "Добрый вечер", "Доброе утро", "Дорогой", "Дорогая",
    "Вітаю", "Привіт", "Добрий день", "Доброго дня", "Добрий вечір", "Дорогий", "Дорога",
)
#: A name there must be listed in its script (`listed_given_name`).
GREETED_WORD = rf"(?:{CYR_NAME}|{GREEK_NAME}|[{ARABIC}]{{2,}}|[{HEBREW}][{HEBREW}'׳]+)"
#: Closing words under which a name signs.
CLOSINGS = (
    "敬具", "以上", "よろしくお願いします", "よろしくお願いいたします", "宜しくお願いします", "감사합니다", "고맙습니다",
    "谢谢", "謝謝", "此致敬礼", "此致\n敬礼", "此致\n敬禮", "此致", "敬礼", "敬禮", "敬上", "ขอบคุณค่ะ", "ขอบคุณครับ", "ขอบคุณ", "С уважением", "с уважением",
    "З повагою", "з повагою", "С уважение", "Спасибо", "Дякую", "Благодаря", "Με εκτίμηση", "Ευχαριστώ", "Φιλικά",
    "בברכה", "תודה", "مع التحية", "مع خالص التحية", "وشكرا", "شكرا", "شكراً", "धन्यवाद", "ধন্যবাদ", "நன்றி",
    "Поздрави", "Поздрав", "Срдачно", "Срдачан поздрав", "Хвала", "Trân trọng", "Cảm ơn", "Em cảm ơn", "Thân ái", "Tran trong",
)


def alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


#: (Thai writes no spaces between words: its cues may follow a word; the other scripts' may not.)
NOT_AFTER_WORD = r"(?<![^\W\u0e00-\u0e7f])"
INTRO = re.compile(rf"{NOT_AFTER_WORD}(?P<cue>{alternation(INTRO_CUES + CAPITAL_FIELD_CUES)})[ \t]*[:：]?[ \t]*(?:(?:ο|η|τον|την|هو|هي)[ ])?"
                   rf"(?P<name>{ANY_NAME})")
THAI_TITLES = tuple(title for title in TITLE_CUES if "\u0e00" <= title[0] <= "\u0e7f")
SPACED_TITLES = tuple(title.strip() for title in TITLE_CUES if title not in THAI_TITLES)
#: A title glued to the name (Thai), or followed by a space (or a full stop) in the other scripts.
TITLED = re.compile(rf"{NOT_AFTER_WORD}(?P<cue>{alternation(THAI_TITLES)})(?P<name>{ANY_NAME})|(?<![\w])"
                    rf"(?P<spaced>{alternation(SPACED_TITLES)})(?:[ ]|(?<=\.))(?P<name2>{ANY_NAME})")
#: A greeting of SCRIPT_GREETINGS, then one or two name words before a comma, "!" or the line's end.
GREETED = re.compile(rf"(?<![\w])(?:{alternation(SCRIPT_GREETINGS)})[ \t]*[,،]?[ \t]+(?P<name>{GREETED_WORD}"
                     rf"(?:[ ]{GREETED_WORD})?)(?=[ \t]*[,،!]|[ \t]*\n)")
#: Issue 18, pass 24: the Arabic "father of" and "mother of" before a child's listed name ("أبو علي", "أم خالد"): the
#: parent's name.
ARABIC_KUNYA = re.compile(rf"(?<![{ARABIC}])(?:أبو|ابو|أم|ام)[ ](?P<child>[{ARABIC}]{{2,}})(?![{ARABIC}])")
#: Places named "Abu …" and "Umm …" whose second word Faker's Arabic lists hold as a name (Abu Dhabi, Abu Qir,
#: Abu Kabir, Abu Simbel, Abu Tij, Abu Hummus, Umm Al Quwain's "القيوين", Umm Salal, Umm Qasr).
KUNYA_PLACES = words("ظبي ظبى قير كبير سمبل تيج حمص القيوين صلال قصر")
#: Japanese "私は田中です", "担当の佐藤と申します": the name must open with a listed surname.
JAPANESE_INTRO = re.compile(rf"(?:私は|わたしは|僕は|担当の|担当は)[ ]?(?P<name>[{HAN}]{{1,4}}(?:[ ][{HAN}]{{1,3}})?)"
                            r"(?:です|と申します|と申し|でございます|が担当)")
SPEAKER = re.compile(
    rf"(?m)^[ \t]*(?:\[[^\]\n]{{0,12}}\][ \t]*)?(?P<open>\[)?(?:[^\W\d_]+[ ])?(?:{alternation(SPEAKER_ROLES)})"
    rf"(?:[ \t]*[-–—(（][ \t]*|[ \t]*)(?P<name>{ANY_NAME})[ \t]*(?:[)）][ \t]*)?(?(open)\]|[:：])")
SIGNED = re.compile(rf"(?:{alternation(CLOSINGS)})[ \t]*[.,!。！、،，]*[ \t]*(?:\n[ \t]*|[,،][ \t]*)"
                    rf"(?P<name>{ANY_NAME})[ \t]*[.。]?[ \t]*(?=\n|$)")
KOREAN_SIGNED = re.compile(rf"(?<![{HANGUL}])(?P<name>[{HANGUL}]{{2,4}})[ ]?(?:드림|올림|배상)(?![{HANGUL}])")
#: A Korean answer that is a name: at a line's start or after a speaker label, a surname and a given name, then
#: the copula ("이서연이고요", "김민수예요", "박지훈입니다").
KOREAN_ANSWER = re.compile(rf"(?:^|\n|[\]:][ \t]*|[,.][ ]|(?:저는|전)[ ]|안녕하세요[.,!]?[ ]*)(?P<name>[{HANGUL}]{{3}})"
                           r"(?:이고요|이구요|이고|이에요|예요|이요|입니다|이라고|라고)")

#: A Korean name after a role or a relation ("고객 이서연(…)", "상담원 김지수님", "남편 김철수").
KOREAN_ROLE_NAME = re.compile(
    rf"(?:고객|회원|상담원|상담사|담당자|기사님|기사|직원|매니저|수령인|예금주|신청인|환자|보호자|남편|아내|엄마|아빠|동생|친구|"
    rf"아들|딸|형|누나|언니|오빠)[ ](?P<name>[{HANGUL}]{{3}})(?=[^{HANGUL}]|님|씨|께서|이|은|는|가|의|요|$)")
#: A Korean given name of two syllables before 님 or 씨 ("지수님", "민수 씨"); the roles and kin one calls so are none.
KOREAN_GIVEN_TITLED = re.compile(rf"(?<![{HANGUL}])(?P<name>[{HANGUL}]{{2}})[ ]?(?:님|씨)(?:께서|에게|한테|가|는|를|께|의|도|이|은)?(?![{HANGUL}])")
NOT_KOREAN_GIVEN = words("""
고객 기사 사장 선생 부장 과장 차장 대리 팀장 실장 대표 원장 회장 교수 작가 주인 손님 아버 어머 부모 형님 누님 따님 아드 하나
관리 담당 상담 직원 점장 매니 회원 환자 학생 선배 후배 이모 삼촌 고모 할머 할아 사모 사부 여러 본인 당신 귀하 주임 반장
이웃 친구 셀러 유저 멘토 코치 기장 작성 소장 국장 총장 의원 위원 판사 검사 변호 세무 간호 약사 의사 수고 감사 고생 배송 택배 라이더 아저 아줌 도련 사위 며느
""")
#: A Korean answer that is a name and "요" after a chat's speaker label ("User: 최유나요."); a verb's ending is none.
KOREAN_NAME_YO = re.compile(rf"(?m)^[^\n:\]]{{0,20}}[:\]][ \t]*(?P<name>[{HANGUL}]{{3}})요(?=[.!?\s]|$)")
VERB_ENDINGS = frozenset("어여해네죠지게고서니데는다까했됐었았워와")
#: A Chinese name after a relation ("我同事王伟", "我老公 李强"): two characters, or three unless the third is a verb.
CHINESE_RELATION = re.compile(
    rf"(?:我爸爸|我妈妈|我爸|我妈|我老公|我老婆|我丈夫|我太太|我妻子|我儿子|我女儿|我朋友|我同事|我哥哥|我姐姐|我哥|我姐|我弟弟|我妹妹|我弟|我妹)"
    rf"[ ]?(?P<name>[{HAN}]{{2,3}})")
#: The commonest family names of China (simplified and traditional) and of Japan.
CHINESE_SURNAME_CHARS = HAN_SURNAME_CHARS
JAPANESE_SURNAMES = words("""
佐藤 鈴木 高橋 田中 伊藤 渡辺 渡邊 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 斉藤 清水 山崎 森 池田
橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本 斉藤 福田 太田 西村 藤井 金子 岡本
藤原 中野 三浦 原田 中川 松田 竹内 小野 田村 中山 和田 石田 森田 上田 原 内田 柴田 酒井 工藤 横山 宮崎 宮本 高木 安藤 谷口
大野 丸山 今井 河野 藤本 村田 武田 上野 杉山 増田 小山 平野 大塚 千葉 久保 松井 岩崎 桜井 木下 野口 松尾 菊地 野村 新井
渡部 佐野 杉本 古川 小島 水野 山内 西田 菅原 市川 北村 小松 五十嵐 東 大西 吉川
""")
#: Han words of two or three characters that open with a surname's character but are places, firms or words.
NOT_HAN_NAMES = words("""
谢谢 謝謝 成都 高铁 高鐵 高速 金额 金額 方便 方法 周末 周一 周二 周三 周四 周五 周六 周日 万元 江苏 江蘇 江西 黄山 马上 馬上
林口 陆续 陸續 石家庄 武汉 武漢 孔子 王府井 李宁 何时 何處 汤圆 史上 程序 钟点 田园 陆地 龙虎 杜绝 付款 付费 付費 方案 余额 餘額
金色 黄色 黃色 曾经 曾經 方式 方面 程度 周期 周年 高温 高溫 马桶 馬桶 毛衣 林业 雷电 黄金 黃金 高清 高级 高級 高端 金属 金屬 江湖 金融 石油 段落 雷达 万达 萬達 高德 华为 蘇州 苏州 杭州 孙悟空 江南 叶子 夏天 夏季 张家界 贺卡 毛巾 孟买 秦始皇 熊猫 熊貓
""")
#: A Han name alone between Latin letters, spaces and ASCII punctuation, in text written mostly in Latin letters.
HAN_ALONE = re.compile(rf"(?<![{HAN}\u3040-\u30ff\w])(?P<name>[{HAN}]{{2,3}})(?![{HAN}\u3040-\u30ff\w])")
#: A Japanese name before an honorific ("山田太郎様", "鈴木さん"), opening with a listed surname.
JAPANESE_TITLED = re.compile(rf"(?<![{HAN}])(?P<name>[{HAN}]{{2,5}})(?:様|さん|さま|殿|氏|先生)")
#: Issue 18, twentieth pass: an enumeration of Han names of two or three characters set off by "、" ("参会人员：刘洋、
#: 陈静、赵磊"), not inside a run of Han text.
#: (Pass 21: or by one other mark throughout, "抄送：王伟；李娜", "王伟, 李娜, 陈刚", "王伟/李娜".)
HAN_LIST = re.compile(rf"(?<![{HAN}])[{HAN}]{{2,3}}(?P<sep>、|[ ]?[；;，,／/][ ]?)[{HAN}]{{2,3}}(?:(?P=sep)[{HAN}]{{2,3}})*(?![{HAN}])")
#: Issue 18, twentieth pass: a Korean surname and a job title or "기사" ("김 과장님", "박 기사님"): found with the title.
KOREAN_SURNAME_TITLE = re.compile(rf"(?<![{HANGUL}])(?P<name>[{HANGUL}])[ ]?(?:과장|부장|대리|차장|팀장|실장|사장|"
                                  rf"선생|교수|기사|원장|주임|매니저|상무|전무|이사|간호사|변호사)(?=님|[^{HANGUL}]|$)")
#: "我姓刘", "免贵姓王": the surname said alone.
SURNAME_SAID = re.compile(rf"(?:我姓|免贵姓|免貴姓|本人姓)[ ]?(?P<name>[{HAN}])(?![{HAN}])|(?:我姓|免贵姓|免貴姓|本人姓)[ ]?"
                          rf"(?P<then>[{HAN}])(?=[，,。.！!、]|[ ]|$)")
HAN_SPACED = re.compile(rf"(?<=[ \t])(?P<name>[{HAN}]{{2,3}})(?=[ \t])")
#: A Japanese surname, a space and a given name ("山口 恵美", "中村 真由美").
JAPANESE_SPACED = re.compile(rf"(?<![{HAN}])(?P<sur>[{HAN}]{{1,3}})[ 　](?P<given>[{HAN}]{{1,3}})(?![{HAN}])")
HONORIFIC_WORDS = words("様 殿 氏 君 先生 さま 宛 宛て 御中")
#: Issue 18, pass 21: a Chinese name with no cue before it, in a sentence that says what the person did ("昨天赵丽华
#:打电话来说", "客户吳淑芬來電", "王伟已签收"): two or three characters, the first a surname's, right before a verb
#: of contact or of a customer's doing, after the start of a clause or a word of time or of role.
CHINESE_DOING = re.compile(r"打电话|打電話|来电|來電|致电|致電|反映|投诉|投訴|表示|说(?!明)|說(?!明)|联系|聯繫|聯絡|发来|發來|"
                           r"来信|來信|申请|申請|留言|反馈|反饋|回复|回覆|询问|詢問|咨询|諮詢|下单|下單|签收|簽收|报修|報修|"
                           r"退货|退貨|付款了|已经|已經|刚刚|剛剛")
CHINESE_DOER_BEFORE = ("昨天", "今天", "前天", "刚才", "剛才", "今早", "上午", "下午", "晚上", "早上", "客户", "客戶", "用户",
                       "用戶", "顾客", "顧客", "会员", "會員", "买家", "買家", "乘客", "住户", "住戶", "同事", "员工", "員工",
                       "之前", "后来", "後來", "然后", "然後", "另外", "还有", "還有", "因为", "因為", "但是", "所以", "和",
                       "跟", "与", "與", "及", "由", "请", "請", "让", "讓", "叫", "帮", "幫", "是")
#: A Chinese surname before a title or a kin term for it ("王经理", "李老师", "刘姐").
CHINESE_TITLE_AFTER = re.compile(
    r"(?P<name>[王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何林罗羅郑鄭梁谢謝宋唐韩韓冯馮邓鄧曹彭曾萧蕭田董潘袁蔡蒋蔣"
    r"余杜叶葉程魏苏蘇吕呂丁沈姚卢盧钟鍾崔谭譚陆陸汪范金石廖贾賈夏韦韋付方邹鄒熊孟秦邱侯江尹薛])"
    r"(?:经理|經理|老师|老師|医生|醫生|律师|律師|师傅|師傅|主任|总监|總監|同学|同學|阿姨|大哥|大姐|姐|哥|太太|先生|女士|小姐|工)(?![一-鿿]{0,1}[作程业具])")
#: Cantonese "陳生" (Mr Chan), "李太" (Mrs Lee), standing before a comma, a space or the end.
CANTONESE_TITLE = re.compile(
    rf"(?P<name>[陈陳李张張刘劉黄黃王吴吳赵趙周林何郭梁罗羅郑鄭谢謝叶葉冯馮邓鄧曾彭蔡潘袁麦麥钟鍾卢盧])(?:生|太)(?![{HAN}])")
#: Surnames that are ordinary words' first characters too ("历史老师": history's teacher): after another Han
#: character they stay words.
WORDLIKE_SURNAMES = frozenset("史方金万段石龙龍毛江田叶葉夏雷汤湯兰蘭付余程马馬余杜丁范何宋朱董孟秦侯尹钟鍾")
#: "小刘", "老王", "阿凱": a nickname of a surname after 小 or 老, or of a given name after 阿.
CHINESE_NICKNAME = re.compile(rf"(?P<name>[小老][{HAN}]|阿[{HAN}])(?P<next>[{HAN}]?)")
NOT_A_NICKNAME = words("阿姨 阿里 阿拉 阿伯 阿婆 阿公 阿妈 阿媽 阿爸 阿哥 阿姐 阿弟 阿妹 小米 小时 小時 小心 小姐 老板 老闆 老师 老師 "
                           "老公 老婆 小孩 小弟 小妹 老家 老人 小区 小區 小吃 小费 小費 阿根")
NICKNAME_SURNAMES = frozenset("刘劉王李张張陈陳杨楊黄黃赵趙吴吳徐胡郭林罗羅郑鄭梁谢謝唐韩韓冯馮邓鄧曹彭曾蔡")
#: What may follow a nickname in running Chinese: a particle, a verb, a pronoun.
AFTER_NICKNAME = frozenset("说說了的也是在已和跟给給让讓帮幫今昨刚剛去来來会會要把被对對都还還就又没沒不打电電你您他她")
#: A katakana name before a Japanese honorific ("タカシさん", "「マリア」様"); katakana roles are none.
KATAKANA_TITLED = re.compile(rf"(?<![{KATAKANA}])(?P<name>[{KATAKANA}]{{2,10}})[」』]?(?:さん|様|さま|くん|ちゃん|氏)")
KATAKANA_ROLES = words("""
ドライバー スタッフ オペレーター メーカー ショップ オーナー ママ パパ ヤマト サポート カスタマー センター ホスト ゲスト ユーザー
メンバー サービス アマゾン ドコモ ソフトバンク ヤフー メルカリ ラクテン ユニクロ コンビニ ホテル クリニック サロン ペット
""")

#: Words that end a name (particles, verbs, greetings, fields) in the scripts that write them apart or glued.
THAI_ENDINGS = ("นะคะ", "นะครับ", "ครับ", "ค่ะ", "คะ", "ค่า", "คับ", "ค้าบ", "จ้า", "จ้ะ", "นะ", "เองค่ะ", "เองครับ", "เอง")
THAI_STOP = words("""
เบอร์ โทร โทร. ที่อยู่ เลข เลขที่ อีเมล ค่ะ ครับ คะ นะ และ กับ จาก ที่ ได้ ไม่ ยัง แล้ว เป็น ขอ ต้องการ อยากจะ สั่ง
""")
THAI_NOT_NAMES = ("ทีม", "ฝ่าย", "บริษัท", "ร้าน", "แผนก", "เจ้าหน้าที่", "ศูนย์", "ผู้", "ของ", "ที่", "ให้", "ด้วย", "อะไร", "จะ", "ได้", "ก็", "สามารถ", "ต้อง", "ช่วย", "ไม่", "มี", "เป็น", "ลูกค้า", "แม่", "พ่อ", "ค่ะ", "ครับ",
                  "คะ", "อยาก", "ขอ", "เคย", "กำลัง", "ยัง", "คง", "ทำ", "รอ", "ส่ง", "โอน", "ติดต่อ", "แจ้ง", "สั่ง")
#: Words a Thai title starts ("นางแบบ" a model, "นายจ้าง" an employer, "คุณภาพ" quality, "นางฟ้า" an angel).
THAI_TITLED_WORDS = ("แบบ", "หน้า", "ภาพ", "สมบัติ", "ค่า", "ประโยชน์", "มาก", "พยาบาล", "ทหาร", "จ้าง", "ร้อย", "ฟ้า",
                     "เอก", "ตำรวจ", "ธรรม", "ครู", "ทุน", "ประกัน", "กอง", "อำเภอ", "ท่าน", "ทั้ง", "ช่าง", "สาว", "ร้าย")
THAI_VERBS = ("ตอบ", "โทร", "บอก", "แจ้ง", "มา", "ไป", "ว่า", "คือ", "อยู่", "ซื้อ", "รับ", "เอา", "ให้", "ชอบ", "พูด")
SLAVIC_STOP = words("""
Здравствуйте Здравейте Здрасти Здравей Добър Добро Привіт Алло Ало Да Нет Ні Так Извините Вибачте Моля
Здравствуйте Добрый Добрий Доброго Вітаю Привет Спасибо Дякую Уважаемые Шановні Прошу Пишу Заказ Замовлення
Номер Телефон Адрес Адреса Москва Київ Киев София Україна Россия Для Это Это Я Мы Ми Вы Ви Он Она Вона
""")
GREEK_STOP = words("Καλημέρα Καλησπέρα Γεια Ευχαριστώ Αθήνα Θεσσαλονίκη Παρακαλώ Είμαι Το Τη Την Ο Η Στο Στη Άγνωστο Άγνωστος "
                   "ΑΓΝΩΣΤΟ ΑΓΝΩΣΤΟΣ")
VN_STOP = words("""
Em Anh Chị Tôi Mình Cảm Chào Xin Dạ Vâng Shop Nội Nẵng Gòn Grab Shopee Tiki Lazada Zalo
Facebook Instagram TikTok Google Apple Samsung iPhone Messenger Gmail Momo Vietcombank Techcombank Viettel Mobifone Vinaphone TP Quận Phường Đường Số Bên Khi Nhưng
""")
#: Places whose words are given names too ("Hà", "Minh", "Nam", "Chí"): a name ends before the place, not at
#: each of its words (issue 18, twentieth pass: "chị Hà", "anh Nam" were cut as places).
VN_PLACES = ("Hà Nội", "Hồ Chí Minh", "Đà Nẵng", "Sài Gòn", "Việt Nam", "Ha Noi", "Ho Chi Minh", "Da Nang", "Sai Gon",
             "Viet Nam")
#: Words that open a team's or a firm's signature or a field, not a person's name.
NOT_SIGNERS = words("""
Отдел Відділ Команда Служба Компания Компанія Администрация Адміністрація Поддержка Підтримка ООО ТОВ АО ПАО Ваш Ваша
Ваши Ваші Колектив Η Το Ομάδα Τμήμα Εξυπηρέτηση צוות שירות מחלקת חברת הצוות فريق إدارة ادارة قسم خدمة شركة الإدارة
客服部 客服 团队 團隊 公司 株式会社 カスタマーサポート 고객센터 고객지원팀 운영팀
""")
NOT_KOREAN_NAME_ENDS = ("팀", "센터", "부", "과", "실", "점", "사", "님", "원")
#: Letters only Vietnamese writes (not Portuguese's â, ê, ô: "em Lisboa" is Portuguese "in Lisbon").
VN_MARKED = frozenset("đĐăĂơƠưƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
INDIC_STOP = words("""
है हैं हूँ हूं था थी और जी का की के से को ने में है। আমি হয় এবং থেকে আছে এর কে நான் ஆகும் மற்றும் இருந்து
ነው ነኝ እባላለሁ ይባላል እና ነበር
""")


#: A letter of a script this module reads (not a curly quote or a dash, which English text has too).
SCRIPT_CHAR = re.compile("[\u0370-\u04ff\u0590-\u06ff\u0900-\u0bff\u0e00-\u0e7f\u1200-\u135a\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3"
                         "đĐăĂơƠưƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")


def script_names(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of names written in their own scripts after a cue (module docstring)."""
    if SCRIPT_CHAR.search(text) is None:
        return
    japanese = KANA.search(text) is not None
    for match in INTRO.finditer(text):
        if match.start("name") == match.end("cue") and "\u0e00" <= match.group("cue")[0] <= "\u0e7f" and \
                match.group("cue") not in THAI_GLUED_CUES:
            continue  # a Thai field's name stands after a space or a colon ("ชื่อ-นามสกุลผู้ถือบัตร" is a phrase)
        yield from found(native_name(text, match.start("name"), match.end("name"), japanese))
    for match in TITLED.finditer(text):
        group = "name" if match.group("name") else "name2"
        if group == "name" and ((match.start() > 0 and "\u0e01" <= text[match.start() - 1] <= "\u0e4e") or
                                match.group("name").startswith(THAI_TITLED_WORDS)):
            continue  # a Thai title opens a word ("ลูกค้า คุณวิชัย"); "ขอบคุณมาก", "นางแบบ", "นายจ้าง" are words
        yield from found(native_name(text, match.start(group), match.end(group), japanese, titled=True))
    for match in GREETED.finditer(text):
        if listed_given_name(match.group("name").split(" ")[0]):
            yield from found(native_name(text, match.start("name"), match.end("name"), japanese))
    for match in ARABIC_KUNYA.finditer(text):
        if match.group("child") not in KUNYA_PLACES and listed_given_name(match.group("child")):
            yield match.span()
    for match in SPEAKER.finditer(text):
        name = match.group("name")
        if "\u3400" <= name[0] <= "\u9fff" and not (name[0] in CHINESE_SURNAME_CHARS or name[0] in "小老阿" or
                                                     japanese_surname(name)):
            continue  # "客服备注：", "客服紀錄：": a note's heading, not an agent's name
        yield from found(native_name(text, match.start("name"), match.end("name"), japanese))
    labels: dict[str, list[re.Match[str]]] = {}
    for match in NAME_LABEL.finditer(text):
        labels.setdefault(match.group("name"), []).append(match)
    for label, matches in labels.items():
        if label[0].isascii() or "\u00c0" <= label[0] <= "\u024f" or "\u1e00" <= label[0] <= "\u1eff" or \
                label.startswith("ال"):
            continue  # Latin labels are read elsewhere; an Arabic noun with its article is a role ("الزبون")
        if "\uac00" <= label[0] <= "\ud7a3" and (len(label) != 3 or label[0] not in KOREAN_SURNAMES):
            continue  # a Korean speaker's name: a surname and a given name ("주소:", "연락처:" are fields)
        if "\u3400" <= label[0] <= "\u9fff" and not japanese and (label[0] not in CHINESE_SURNAME_CHARS or
                                                                     label in NOT_HAN_NAMES):
            continue
        listed = japanese and "\u3400" <= label[0] <= "\u9fff" and len(label) <= 4 and japanese_surname(label)
        if (len(matches) >= 2 or listed) and label not in NOT_LABELS and label.split(" ")[0] not in NOT_LABELS:
            for match in matches:
                yield from found(native_name(text, match.start("name"), match.end("name"), japanese))
    for match in SIGNED.finditer(text):
        if "\u0590" <= match.group("name")[0] <= "\u0e7f" and not signature_end(text, match.end()):
            continue  # uncased scripts: a name closes the text, or a line of contact details follows it
        yield from found(native_name(text, match.start("name"), match.end("name"), japanese, signed=True))
    for match in KOREAN_SIGNED.finditer(text):
        name = match.group("name")
        if name[0] in KOREAN_SURNAMES and not name.endswith(NOT_KOREAN_NAME_ENDS):
            yield match.span("name")
    for match in KOREAN_GIVEN_TITLED.finditer(text):
        if match.group("name") not in NOT_KOREAN_GIVEN:
            yield match.span("name")
    for match in KOREAN_SURNAME_TITLE.finditer(text):
        if match.group("name") in KOREAN_SURNAMES and match.group("name") != "이":  # ("이 과장": "this" too)
            yield match.span()
    for match in KOREAN_ROLE_NAME.finditer(text):
        if match.group("name")[0] in KOREAN_SURNAMES:
            yield match.span("name")
    for match in KOREAN_NAME_YO.finditer(text):
        name = match.group("name")
        if name[0] in KOREAN_SURNAMES and name[-1] not in VERB_ENDINGS:
            yield match.span("name")
    for match in KOREAN_ANSWER.finditer(text):
        if match.group("name")[0] in KOREAN_SURNAMES and not match.group("name").endswith("님"):
            yield match.span("name")
    if japanese:
        for match in JAPANESE_INTRO.finditer(text):
            if japanese_surname(match.group("name")):
                yield match.span("name")
    yield from han_names(text, japanese)
    if "\n" in text:
        yield from alone_names(text, japanese)


#: Issue 18, pass 21: a name alone on a signature's line with no closing word before it ("…。\n\n王建国\n139 1024
#: 6688", "--\n陈刚\n产品经理", "김민준\n010-…"), or a Chinese one before "敬上" ("林志明 敬上"), or after a
#: department on its line ("市场部 李娜").
ALONE_LINE = re.compile(rf"(?m)^[ \t]*(?P<name>[{HAN}]{{2,4}}|[{HAN}]{{1,3}}[ 　][{HAN}]{{1,3}}|[{HANGUL}]{{3}})"
                        rf"(?P<after>[ ]?(?:敬上|謹上|拜上|敬啟|谨上))?[ \t]*$")
DEPARTMENT_NAME = re.compile(rf"(?m)^[ \t]*[{HAN}]{{1,6}}(?:部|课|課|组|組|科|中心|团队|團隊)[ ](?P<name>[{HAN}]{{2,3}})[ \t]*$")
TITLE_LINE = re.compile(rf"[ \t]*(?:[{HAN}{HANGUL}A-Za-z ]{{0,12}}(?:经理|經理|主管|专员|專員|客服|主任|总监|總監|部長|課長|係長|"
                        rf"担当|擔當|팀장|대리|과장|부장|사원|매니저|Manager|Director|Support|Sales|Engineer)|[^\n]*[0-9@])")


NOT_KOREAN_ALONE_ENDS = ("시", "구", "군", "로", "길", "읍", "면", "도", "점", "층", "호")


def alone_names(text: str, japanese: bool) -> Iterator[tuple[int, int]]:
    """ALONE_LINE's and DEPARTMENT_NAME's names."""
    for match in ALONE_LINE.finditer(text):
        name = match.group("name")
        if not alone_name(name, japanese):
            continue
        before = text[:match.start()].rstrip(" \t")
        previous = before.split("\n")[-1].strip() if before.endswith("\n") else None
        following = text[match.end():].lstrip(" \t")
        signed = match.group("after") is not None
        opens = match.start() == 0 or previous == "" or (previous is not None and (
            previous in ("--", "-- ", "—", "__") or previous.endswith(("。", "！", "!", ".", "?", "？", ",", "，"))))
        closes = not following.strip() or TITLE_LINE.match(following.lstrip("\n").split("\n")[0]) is not None
        if signed or (opens and closes and following.startswith(("\n", "")) and match.start() > 0):
            yield match.span("name")
    for match in DEPARTMENT_NAME.finditer(text):
        if alone_name(match.group("name"), japanese):
            yield match.span("name")


def alone_name(name: str, japanese: bool) -> bool:
    """Whether a word alone on its line reads as a name: a Chinese surname's character first (not a listed word), a
    Japanese surname, or a Korean surname and two syllables."""
    if "\uac00" <= name[0] <= "\ud7a3":
        return name[0] in KOREAN_SURNAMES and not name.endswith(NOT_KOREAN_NAME_ENDS + NOT_KOREAN_ALONE_ENDS)
    if name[-1] in "都道府県省市区區町村郡县縣駅站店部課课局館馆院園园社路街巷号號楼樓厅廳面":
        return False  # "東京都", "成都市": a place, a shop, a department
    if japanese_surname(name.replace("　", " ").split(" ")[0]) or japanese_surname(name):
        return name not in NOT_HAN_NAMES
    if " " in name or "　" in name or len(name) > 3:
        return False
    return not japanese and name[0] in CHINESE_SURNAME_CHARS and name not in NOT_HAN_NAMES and \
        name[:2] not in NOT_HAN_NAMES


def signature_end(text: str, end: int) -> bool:
    """Whether the line ending at or after `end` closes the text or the next line holds a number or an address."""
    rest = text[end:].lstrip(" \t.。")
    if not rest.strip():
        return True
    following = rest.lstrip("\n").split("\n")[0]
    return any(char.isdigit() or char == "@" for char in following)


def found(span: tuple[int, int] | None) -> Iterator[tuple[int, int]]:
    if span is not None:
        yield span


def japanese_surname(name: str) -> bool:
    """Whether a name in Han characters opens with one of Japan's common surnames."""
    return any(name[:size] in JAPANESE_SURNAMES for size in (1, 2, 3))


def han_names(text: str, japanese: bool) -> Iterator[tuple[int, int]]:
    """Names in Han characters and katakana known by a surname, a title after them or their place."""
    if not any("\u3400" <= char <= "\u9fff" or "\u30a0" <= char <= "\u30ff" for char in text):
        return
    latin = sum(char.isascii() and char.isalpha() for char in text)
    if not japanese and latin >= 20:  # a Chinese name alone in an English text ("my father 王建国 will pay")
        for match in HAN_ALONE.finditer(text):
            name = match.group("name")
            if name[0] in CHINESE_SURNAME_CHARS and name not in NOT_HAN_NAMES:
                yield match.span("name")
    for match in JAPANESE_SPACED.finditer(text):
        if match.group("sur") in JAPANESE_SURNAMES:
            given = match.group("given")
            yield match.start("sur"), (match.start("given") - 1 if given in HONORIFIC_WORDS else match.end("given"))
    if not japanese:
        for match in HAN_SPACED.finditer(text):  # "用户 陈丽华 申请": a name set apart by spaces in Chinese text
            name = match.group("name")
            if name[0] in CHINESE_SURNAME_CHARS and name not in NOT_HAN_NAMES:
                yield match.span("name")
        for match in CHINESE_RELATION.finditer(text):
            name = match.group("name")
            if name[0] in CHINESE_SURNAME_CHARS:
                size = 2 if len(name) == 3 and name[2] in AFTER_NICKNAME else len(name)
                yield match.start("name"), match.start("name") + size
        # (issue 18, twentieth pass: a surname alone is found with its title, "陳生", "王经理", as authors label it)
        for match in CHINESE_DOING.finditer(text):
            yield from found(chinese_doer(text, match.start()))
        for match in CANTONESE_TITLE.finditer(text):
            if match.start() == 0 or not "\u3400" <= text[match.start() - 1] <= "\u9fff":
                yield match.span()
        for match in CHINESE_TITLE_AFTER.finditer(text):
            start = match.start("name")
            if start == 0 or not "\u3400" <= text[start - 1] <= "\u9fff" or text[start] not in WORDLIKE_SURNAMES:
                yield match.span()
        for match in HAN_LIST.finditer(text):  # "客户：王小明、李华、张伟": every item led by a surname
            items = match.group().split(match.group("sep"))
            if all(item[0] in CHINESE_SURNAME_CHARS and item not in NOT_HAN_NAMES for item in items):
                at = match.start()
                for item in items:
                    yield at, at + len(item)
                    at += len(item) + len(match.group("sep"))
        for match in CHINESE_NICKNAME.finditer(text):
            name, following = match.group("name"), match.group("next")
            if name in NOT_A_NICKNAME or (match.start() > 0 and "\u3400" <= text[match.start() - 1] <= "\u9fff"
                                          and text[match.start() - 1] not in AFTER_NICKNAME | {"叫", "找", "问", "問"}):
                continue
            if not following:
                if name[0] == "阿" or name[1] in CHINESE_SURNAME_CHARS:
                    yield match.span("name")
            elif name[0] != "阿" and name[1] in NICKNAME_SURNAMES and following in AFTER_NICKNAME:
                yield match.span("name")
    for match in JAPANESE_TITLED.finditer(text):
        name = match.group("name")
        if (japanese or match.group()[-1] in "様殿") and japanese_surname(name):  # (様 is Japanese's own character)
            yield match.span("name")
    for match in SURNAME_SAID.finditer(text):
        group = "name" if match.group("name") else "then"
        if match.group(group) in CHINESE_SURNAME_CHARS:
            yield match.span(group)
    for match in KATAKANA_TITLED.finditer(text):
        if match.group("name") not in KATAKANA_ROLES:
            yield match.span("name")


def chinese_doer(text: str, verb: int) -> tuple[int, int] | None:
    """The name of two or three Han characters right before a CHINESE_DOING verb at `verb`, if one opens a clause."""
    for size in (3, 2):
        start = verb - size
        if start < 0:
            continue
        name = text[start:verb]
        if not all("\u3400" <= char <= "\u9fff" for char in name) or name[0] not in CHINESE_SURNAME_CHARS:
            continue
        if size == 3 and name[2] in AFTER_NICKNAME:
            name = name[:2]  # "张伟已签收", "王伟又说": the name, then an adverb
        if name in NOT_HAN_NAMES or name[:2] in NOT_HAN_NAMES:
            return None
        if start == 0 or not "\u3400" <= text[start - 1] <= "\u9fff" or text.endswith(CHINESE_DOER_BEFORE, 0, start):
            return start, start + len(name)
    return None


def native_name(text: str, start: int, end: int, japanese: bool, titled: bool = False,
                signed: bool = False) -> tuple[int, int] | None:
    """The name at text[start:end] trimmed at the particles, verbs and field words after it, or None; under a
    closing word (`signed`) a name in Han or Hangul must open with a listed surname."""
    first = text[start]
    if text[start:end].split(" ")[0] in NOT_SIGNERS:
        return None
    if "\u0e00" <= first <= "\u0e7f":
        return thai_name(text, start, end, titled)
    if "\u0400" <= first <= "\u04ff":
        return capitalised_name(text, start, end, SLAVIC_STOP)
    if "\u0370" <= first <= "\u03ff" or "\u1f00" <= first <= "\u1fff":
        return capitalised_name(text, start, end, GREEK_STOP)
    if "\u0980" <= first <= "\u09ff" or "\u0b80" <= first <= "\u0bff" or "\u1200" <= first <= "\u135a":
        found_name = indic_name(text, start, end)
        if found_name is not None and titled and "\u1200" <= first <= "\u135a":
            words = text[found_name[0]:found_name[1]].split(" ")[:2]  # "አቶ ታደሰ ወልዴ ደውለው": a name and a father's
            return found_name[0], found_name[0] + len(" ".join(words))
        return found_name
    if "\u30a0" <= first <= "\u30ff":
        name = text[start:end]
        return None if name.replace("・", "") in KATAKANA_ROLES else (start, end)
    if first.isascii() or "\u00c0" <= first <= "\u024f" or "\u1e00" <= first <= "\u1eff":
        return vietnamese_name(text, start, end, titled)
    if "\u3400" <= first <= "\u9fff" and not japanese and signed and japanese_surname(text[start:end]):
        japanese = True  # "敬具\n鈴木一郎": a Japanese signature in a text of Han characters only
    if "\u3400" <= first <= "\u9fff" and japanese:
        end = start + len(re.split(r"(?:です|と申|といい|と言い|でござ|が|は|の|を|に|から|より|も)", text[start:end])[0])
        if end - start < 1 or text[start:end] in SCRIPT_STOP_WORDS:
            return None
    spans = list(script_name(text, start, end, japanese))
    if not spans:
        return None
    start, end = spans[0]
    if "\u3400" <= first <= "\u9fff":
        if not japanese and end - start < 2:
            return None
        if signed and not (first in CHINESE_SURNAME_CHARS or japanese_surname(text[start:end])):
            return None
    if signed and "\uac00" <= first <= "\ud7a3" and first not in KOREAN_SURNAMES:
        return None
    return start, end


def listed_given_name(word: str) -> bool:
    """Whether a word after a greeting is a listed name in its script, or a Cyrillic or Greek vocative of one
    ("Олено", "Андрію", "Γιώργο", "Αλέξανδρε"): a firm, a place or a weekday greeted ("שלום אמזון", "Вітаю, Нова
    Пошта", "مرحبا دبي") is none."""
    from feedbackloop.core.name_model import script_names as listed  # (it loads the tagger's module: only here)

    first, last = listed()
    forms = {word.lower(), *cyrillic_forms(word)}
    if word.endswith("ε"):
        forms.add(word[:-1].lower() + "ος")  # "Αλέξανδρε" -> "αλέξανδρος"
    elif "\u0370" <= word[:1] <= "\u03ff":
        forms.add(word.lower() + "ς")  # "Γιώργο" -> "γιώργος"
    return any(form.lower() in first or form.lower() in last for form in forms)


def thai_name(text: str, start: int, end: int, titled: bool) -> tuple[int, int] | None:
    words = text[start:end].split(" ")
    if words[0].startswith(THAI_NOT_NAMES):
        return None  # "คุณจะได้รับ": คุณ is "you" before a verb
    kept: list[str] = []
    for word in words[:2]:
        if word in THAI_STOP or (kept and word.startswith(THAI_NOT_NAMES + THAI_VERBS)):
            break  # "ต้น ตอบช้ามาก": a verb after the given name, no surname
        stripped = word
        for ending in THAI_ENDINGS:
            if stripped.endswith(ending) and len(stripped) > len(ending) + 1:
                stripped = stripped[: -len(ending)]
                break
        if len(stripped) > 18 or len(stripped) < 2:
            break
        kept.append(stripped)
        if stripped != word:
            break
    if not kept:
        return None
    if titled and len(kept) == 1 and len(kept[0]) > 10:
        return None
    return start, start + len(" ".join(kept))


def capitalised_name(text: str, start: int, end: int, stop: frozenset[str]) -> tuple[int, int] | None:
    words = text[start:end].split(" ")
    kept: list[str] = []
    for word in words:
        if word.rstrip(".") in stop:
            break
        kept.append(word)
    if not kept:
        return None
    return start, start + len(" ".join(kept))


def indic_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    words = text[start:end].split(" ")
    kept: list[str] = []
    for word in words[:3]:
        if word in INDIC_STOP:
            break
        kept.append(word)
    if not kept:
        return None
    return start, start + len(" ".join(kept))


#: Vietnamese introductions typed without marks ("toi ten la", "em la", "ho ten:"), right before a name.
VN_ASCII_CUE = re.compile(r"(?i:\b(?:toi|em|minh)(?: ten)? la|\bten (?:toi|em|minh) la|\bho(?: va)? ten:|\bnguoi nhan:)[ \t]*\Z")


def vietnamese_name(text: str, start: int, end: int, titled: bool) -> tuple[int, int] | None:
    if not any(char in VN_MARKED for char in text) and VN_ASCII_CUE.search(text, max(0, start - 16), start) is None:
        return None  # Vietnamese cues count in Vietnamese text (its letters), not in English "Anh" or "ba"
    words = text[start:end].split(" ")
    kept: list[str] = []
    for word in words[:4]:
        if word in VN_STOP or (not word[:1].isupper()):
            break
        kept.append(word)
    at = start
    for index, word in enumerate(kept):
        if text.startswith(VN_PLACES, at):  # "Trần Thị Hà, ở Hà Nội", "Lan Hà Nội": the place is no part of it
            kept = kept[:index]
            break
        at += len(word) + 1
    if not kept or (titled and len(kept) > 3):
        return None
    return start, start + len(" ".join(kept))


# --- trimming any finding in those scripts (the tagger's too) -------------------------------------------------

THAI_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
COMBINING = re.compile("[\u0300-\u036f\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963\u0981-\u0983\u09bc-\u09d7"
                       "\u0b82\u0bbe-\u0bcd\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u064b-\u065f\u0670\u0591-\u05c7]")
#: Verbs, pronouns, joins and greetings that end (or open) a name in Arabic, Hebrew and the Indic scripts.
RTL_AND_INDIC_STOP = SCRIPT_STOP_WORDS | INDIC_STOP | words("""
بانتظار انتظار ردكم ردك الرد تحياتي تحياتنا وتقبلوا מחכה לתשובה להתראות בתודה מראש חג שמח שבוע טוב حق وأريد واريد وأرغب وارغب أرغب ارغب وأتمنى ولدي المسؤول المسؤولة المرسل المستلم طلبت طلب قال قالت اتصل اتصلت يريد تريد أرسل ارسل أرسلت وصل وصلت لم لا لن تم هو هي أنا انا نحن وعليكم السلام عليكم
يا حضرتك الموظف الموظفة العميل العميلة بخصوص بشأن ممكن أريد اريد أرجو ارجو شكرا وشكرا
גב גב' גב׳ מר גברת התקשרה התקשר פנתה פנה ביקשה ביקש ואני אני רוצה שלי מבקש מבקשת ביקש ביקשה התקשר התקשרה אמר אמרה שלום תודה לא גם עם של את על כי הוא היא
ने को से में पर भी तो ही यह वह मैं हम आप कृपया नहीं क्या कोई कुछ अभी
عميل عميلة زبون زبونة جماعة رقم ورقم الرقم الجديد الجديدة الجوال الموبايل جوال موبايل حولت حوّلت أغير اغير أبي أبغى ابغى
عايز عاوز عايزة أيوه ايوه أيوة بالظبط بالضبط يشتكي تشتكي يشكو الطلب طلبي الشحنة شحنة للحين لسه مافي
ग्राहक एजेंट कस्टमर मेरा मेरी मेरे
""")
KOREAN_ENDINGS = ("입니다", "이고요", "이구요", "이에요", "이라고", "고객님", "께서", "에게", "한테", "이고", "예요", "이요", "라고",
                  "님", "씨", "은", "는", "이", "가", "을", "를", "의", "요", "도")
GREETING_WORDS = words("السلام عليكم وعليكم مرحبا مرحباً أهلا اهلا صباح مساء الخير النور شكرا شكراً شלום שלום תודה नमस्ते धन्यवाद")
JAPANESE_PARTICLE = re.compile(rf"(?<=[{HAN}])(?:と申|といい|と言い|です|でござ|さん|さま|様|が|は|を|に|の|から|より|も|へ)")


def native_trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A finding in Thai, Arabic, Hebrew, an Indic script or Japanese without the particles, verbs and joins the
    tagger or a rule took with it, over the vowel signs it cut off; None when nothing of a name is left or it
    starts inside a Thai word (after a vowel sign). Findings in other scripts are returned as they are."""
    first = text[start] if start < len(text) else ""
    if not first or first.isascii() or first < "\u0590":
        return start, end
    while end < len(text) and COMBINING.match(text, end):
        end += 1  # "सुनीता देव|ी": a vowel sign belongs to its letter
    if "\u0e00" <= first <= "\u0e7f":
        if start > 0 and THAI_MARKS.match(text, start - 1):
            return None
        if "\u0e00" <= text[start:end].split(" ")[-1][:1] <= "\u0e7f":
            return thai_name(text, start, end, False) if " " in text[start:end] or len(text[start:end]) > 2 else (start, end)
        return start, end
    if "\uac00" <= first <= "\ud7a3":  # a Korean name is one word; its particles and copula are glued to it
        parts = text[start:end].split("\n")[0].split(" ")
        word = parts[0]
        if len(word) == 1 and len(parts) > 1 and 1 < len(parts[1]) <= 4:
            word = f"{word} {parts[1]}"  # "김 민수": a surname set apart from the given name
        for ending in KOREAN_ENDINGS:  # (a one-syllable particle only after a name of three: "김지은" keeps its 은)
            if word.endswith(ending) and len(word) - len(ending) >= (2 if len(ending) > 1 else 3):
                word = word[: -len(ending)]
                break
        return start, start + len(word)
    if text[start:end] in NOT_HAN_NAMES:
        return None  # "(金色)": a word after a product, not its owner's name
    if "\u3400" <= first <= "\u9fff" and KANA.search(text):
        cut = JAPANESE_PARTICLE.search(text, start, end)
        return (start, cut.start()) if cut else (start, end)
    if "\u0590" <= first <= "\u0bff":
        if start > 0 and text[start - 1].isalpha() and "\u0590" <= text[start - 1] <= "\u0bff":
            return None  # it starts inside a word ("הלקוחות": not the customer's name "ות")
        spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[start:end])]
        kept: list[tuple[int, int]] = []
        for a, b in spans:
            word = text[start + a:start + b].rstrip("،,.:;!?")
            if word in RTL_AND_INDIC_STOP:
                if not kept and word in GREETING_WORDS:
                    continue  # "مرحبا أحمد": the greeting goes
                break
            kept.append((a, b))
        if not kept:
            return None
        return start + kept[0][0], start + kept[-1][1]
    return start, end


# --- a Cyrillic name's other forms ----------------------------------------------------------------------------

#: Names that are ordinary words in lower case ("вера" faith, "роман" a novel, "слава" glory).
CYRILLIC_WORDS = words("""
вера віра надежда надія любовь любов роман лев слава мир мила лада роза лилия лілія майя зоря заря снежана весна
злата марта май юлий павлин ангелина радость доля дана ярослава
""")


def cyrillic_forms(word: str) -> set[str]:
    """Other forms of a Cyrillic name found in the text, to be found too: in lower case (a chat's "богдан"), and the
    nominative under a Ukrainian vocative ("Богдане" -> "Богдан", "Олено" -> "Олена", "Андрію" -> "Андрій")."""
    if len(word) < 4 or not word[0].isupper() or not all("\u0400" <= char <= "\u04ff" for char in word):
        return set()
    forms = {word}
    if word.endswith("е") and len(word) > 4:
        forms.add(word[:-1])
    elif word.endswith("о") and len(word) > 4:
        forms.add(word[:-1] + "а")
    elif word.endswith("ю") and word[-2:-1] in "іи":
        forms.add(word[:-1] + "й")
    found = set(forms - {word})
    found.update(form.lower() for form in forms if form.lower() not in CYRILLIC_WORDS)
    return found
