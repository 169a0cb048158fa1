"""Tests of workbench.segment: golden rules, per-language cases, dev-set
accuracy, the five seeds and the lossless-rebuild property.

Annotation conventions of the dev sets (tests/data/segment/*.jsonl):
* Chinese: a sentence ends after 。！？ (and ASCII ! ? . right after a Han
  character, before CJK text) together with the closing quotes/brackets that
  follow; after the closing quote a new sentence starts (“……！”他说。 -> two
  sentences) unless the next text continues the sentence (，、；： or a
  continuation word from zh.json: “为什么？”的问题, “快跑！”便冲了出去).
  Quotations holding several sentences are split inside (他说：“A。B。”C。 ->
  他说：“A。 | B。” | C。). Nothing inside 《…》/〈…〉 ends a sentence. ；，：never
  split; an ellipsis (…… …) alone never ends a sentence (……。 does, and so does
  ……” before a new sentence). Latin abbreviations, names, URLs and decimals
  embedded in Chinese (U.S. Steel, J.K.罗琳, www.un.org, 3.5%) never split.
* vi / en: standard full stops, abbreviations kept; quotations are split inside
  at . ! ? + space + capital (Ông nói: “A. B.” C. -> 3 sentences); an ellipsis
  followed by a capital ends a sentence; "độ C." is a unit (a boundary before
  any capital); U.S./U.N./D.C. end a sentence before a capitalised word unless
  it continues a noun phrase (U.S. Army, U.N. Security Council).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import InputError
from workbench.segment import (
    SEGMENTER_VERSION,
    Sentence,
    normalize_lang,
    rebuild,
    segment_document,
    segment_passages,
    segment_text,
    sentence_units,
    split_sentences,
)

ROOT = Path(__file__).resolve().parent.parent
DEV_DIR = ROOT / "tests" / "data" / "segment"
SEEDS = ROOT / "seeds"
SEED_LANGS = {"000": "zh-Hans", "001": "vi", "002": "vi", "003": "en", "004": "zh-Hant"}

# ---------------------------------------------------------------------------
# English golden rules (pySBD / Pragmatic Segmenter), expected outputs verbatim
# ---------------------------------------------------------------------------

GOLDEN_EN = [
    ("Hello World. My name is Jonas.", ["Hello World.", "My name is Jonas."]),
    ("What is your name? My name is Jonas.", ["What is your name?", "My name is Jonas."]),
    ("There it is! I found it.", ["There it is!", "I found it."]),
    ("My name is Jonas E. Smith.", ["My name is Jonas E. Smith."]),
    ("Please turn to p. 55.", ["Please turn to p. 55."]),
    ("Were Jane and co. at the party?", ["Were Jane and co. at the party?"]),
    ("They closed the deal with Pitt, Briggs & Co. at noon.",
     ["They closed the deal with Pitt, Briggs & Co. at noon."]),
    ("Let's ask Jane and co. They should know.", ["Let's ask Jane and co.", "They should know."]),
    ("They closed the deal with Pitt, Briggs & Co. It closed yesterday.",
     ["They closed the deal with Pitt, Briggs & Co.", "It closed yesterday."]),
    ("I can see Mt. Fuji from here.", ["I can see Mt. Fuji from here."]),
    ("St. Michael's Church is on 5th st. near the light.",
     ["St. Michael's Church is on 5th st. near the light."]),
    ("That is JFK Jr.'s book.", ["That is JFK Jr.'s book."]),
    ("I visited the U.S.A. last year.", ["I visited the U.S.A. last year."]),
    ("I live in the E.U. How about you?", ["I live in the E.U.", "How about you?"]),
    ("I live in the U.S. How about you?", ["I live in the U.S.", "How about you?"]),
    ("I work for the U.S. Government in Virginia.", ["I work for the U.S. Government in Virginia."]),
    ("I have lived in the U.S. for 20 years.", ["I have lived in the U.S. for 20 years."]),
    ("At 5 a.m. Mr. Smith went to the bank. He left the bank at 6 P.M. Mr. Smith then went to the store.",
     ["At 5 a.m. Mr. Smith went to the bank.", "He left the bank at 6 P.M.",
      "Mr. Smith then went to the store."]),
    ("She has $100.00 in her bag.", ["She has $100.00 in her bag."]),
    ("She has $100.00. It is in her bag.", ["She has $100.00.", "It is in her bag."]),
    ("He teaches science (He previously worked for 5 years as an engineer.) at the local University.",
     ["He teaches science (He previously worked for 5 years as an engineer.) at the local University."]),
    ("Her email is Jane.Doe@example.com. I sent her an email.",
     ["Her email is Jane.Doe@example.com.", "I sent her an email."]),
    ("The site is: https://www.example.50.com/new-site/awesome_content.html. Please check it out.",
     ["The site is: https://www.example.50.com/new-site/awesome_content.html.", "Please check it out."]),
    ("She turned to him, 'This is great.' she said.", ["She turned to him, 'This is great.' she said."]),
    ('She turned to him, "This is great." she said.', ['She turned to him, "This is great." she said.']),
    ('She turned to him, "This is great." She held the book out to show him.',
     ['She turned to him, "This is great."', "She held the book out to show him."]),
    ("Hello!! Long time no see.", ["Hello!!", "Long time no see."]),
    ("Hello?? Who is there?", ["Hello??", "Who is there?"]),
    ("Hello!? Is that you?", ["Hello!?", "Is that you?"]),
    ("Hello?! Is that you?", ["Hello?!", "Is that you?"]),
    ("1.) The first item 2.) The second item", ["1.) The first item", "2.) The second item"]),
    ("1.) The first item. 2.) The second item.", ["1.) The first item.", "2.) The second item."]),
    ("1) The first item 2) The second item", ["1) The first item", "2) The second item"]),
    ("1) The first item. 2) The second item.", ["1) The first item.", "2) The second item."]),
    ("1. The first item 2. The second item", ["1. The first item", "2. The second item"]),
    ("1. The first item. 2. The second item.", ["1. The first item.", "2. The second item."]),
    ("• 9. The first item • 10. The second item", ["• 9. The first item", "• 10. The second item"]),
    ("⁃9. The first item ⁃10. The second item", ["⁃9. The first item", "⁃10. The second item"]),
    ("a. The first item b. The second item c. The third list item",
     ["a. The first item", "b. The second item", "c. The third list item"]),
    ("This is a sentence\ncut off in the middle because pdf.",
     ["This is a sentence\ncut off in the middle because pdf."]),
    ("It was a cold \nnight in the city.", ["It was a cold \nnight in the city."]),
    ("features\ncontact manager\nevents, activities\n", ["features", "contact manager", "events, activities"]),
    ("You can find it at N°. 1026.253.553. That is where the treasure is.",
     ["You can find it at N°. 1026.253.553.", "That is where the treasure is."]),
    ("She works at Yahoo! in the accounting department.", ["She works at Yahoo! in the accounting department."]),
    ("We make a good team, you and I. Did you see Albert I. Jones yesterday?",
     ["We make a good team, you and I.", "Did you see Albert I. Jones yesterday?"]),
    ("Thoreau argues that by simplifying one’s life, “the laws of the universe will appear less complex. . . .”",
     ["Thoreau argues that by simplifying one’s life, “the laws of the universe will appear less complex. . . .”"]),
    ('"Bohr [...] used the analogy of parallel stairways [...]" (Smith 55).',
     ['"Bohr [...] used the analogy of parallel stairways [...]" (Smith 55).']),
    ("If words are left off at the end of a sentence, and that is all that is omitted, indicate the omission "
     "with ellipsis marks (preceded and followed by a space) and then indicate the end of the sentence with a "
     "period . . . . Next sentence.",
     ["If words are left off at the end of a sentence, and that is all that is omitted, indicate the omission "
      "with ellipsis marks (preceded and followed by a space) and then indicate the end of the sentence with a "
      "period . . . .", "Next sentence."]),
    ("I never meant that.... She left the store.", ["I never meant that....", "She left the store."]),
    ("I wasn’t really ... well, what I mean...see . . . what I'm saying, the thing is . . . I didn’t mean it.",
     ["I wasn’t really ... well, what I mean...see . . . what I'm saying, the thing is . . . I didn’t mean it."]),
    ("One further habit which was somewhat weakened . . . was that of combining words into self-interpreting "
     "compounds. . . . The practice was not abandoned. . . .",
     ["One further habit which was somewhat weakened . . . was that of combining words into self-interpreting "
      "compounds.", ". . . The practice was not abandoned. . . ."]),
    ("Saint Maximus (died 250) is a Christian saint and martyr.[1] The emperor Decius published a decree "
     "ordering the veneration of busts of the deified emperors.",
     ["Saint Maximus (died 250) is a Christian saint and martyr.[1]",
      "The emperor Decius published a decree ordering the veneration of busts of the deified emperors."]),
    ("Differing agendas can potentially create an understanding gap in a consultation.11 12  Take the example "
     "of one of the most common medical consultations.",
     ["Differing agendas can potentially create an understanding gap in a consultation.11 12",
      "Take the example of one of the most common medical consultations."]),
    ("Daniel Kahneman popularised the concept (type 2).10 This model relates to doctors.",
     ["Daniel Kahneman popularised the concept (type 2).10", "This model relates to doctors."]),
    ("Its traditional use[1] is well documented in the ethnobotanical literature [2–11]. Leaves, buds, tar "
     "and essential oils are used.",
     ["Its traditional use[1] is well documented in the ethnobotanical literature [2–11].",
      "Leaves, buds, tar and essential oils are used."]),
    ("I live in the U.S.A. I went to J.C. Penney.", ["I live in the U.S.A.", "I went to J.C. Penney."]),
    ("Q. What is his name? A. His name is Alfred E. Sloan.", ["Q. What is his name?", "A. His name is Alfred E. Sloan."]),
    ("The game is the Giants vs. the Tigers at 10 p.m. I'm going are you?",
     ["The game is the Giants vs. the Tigers at 10 p.m.", "I'm going are you?"]),
    ("He is no. 5, the shortstop.", ["He is no. 5, the shortstop."]),
    ("The museum opens daily from 9 a.m. to 5 p.m. Admission is free.",
     ["The museum opens daily from 9 a.m. to 5 p.m.", "Admission is free."]),
    ("The vote is set for 10 a.m. Monday in Geneva.", ["The vote is set for 10 a.m. Monday in Geneva."]),
    ("Talks began at 9 a.m. EST and ended late.", ["Talks began at 9 a.m. EST and ended late."]),
    ("As payment for 1. above, pay us a fee and for 2. above, no fee will be paid.",
     ["As payment for 1. above, pay us a fee and for 2. above, no fee will be paid."]),
    ("This is e.g. Mr. Smith, who talks slowly... And this is another sentence.",
     ["This is e.g. Mr. Smith, who talks slowly...", "And this is another sentence."]),
    ("Leave me alone!, he yelled. I am in the U.S. Army. Charles (Ind.) said he.",
     ["Leave me alone!, he yelled.", "I am in the U.S. Army.", "Charles (Ind.) said he."]),
    ("There were 500 cases in the U.S. The U.S. Commission asked the U.S. Government to give their opinion.",
     ["There were 500 cases in the U.S.", "The U.S. Commission asked the U.S. Government to give their opinion."]),
    ("Test strange period．Does it segment correctly．", ["Test strange period．", "Does it segment correctly．"]),
    ("The Scavenger Hunt ends on Dec. 31st, 2011.", ["The Scavenger Hunt ends on Dec. 31st, 2011."]),
    ("He works at Yahoo! and Y!J.", ["He works at Yahoo! and Y!J."]),
]

# Known gaps: ideal output, expected to fail (strict: a fix must remove the mark).
GAPS = [
    # no space after the period: we never split (URLs, e-mails, 2.000 are safer that way)
    pytest.param("Hello world.Today is Tuesday.Mr. Smith went to the store and bought 1,000.That is a lot.", "en",
                 ["Hello world.", "Today is Tuesday.", "Mr. Smith went to the store and bought 1,000.",
                  "That is a lot."], id="en-no-space-after-period"),
    # a sentence starting with a lowercase word (brand names) is not detected
    pytest.param("Apple launched a new phone. iPhone sales rose 5%.", "en",
                 ["Apple launched a new phone.", "iPhone sales rose 5%."], id="en-lowercase-start"),
    # an ambiguous abbreviation before a word that is not a typical sentence opener
    pytest.param("The firm is Smith & Co. Analysts expect growth.", "en",
                 ["The firm is Smith & Co.", "Analysts expect growth."], id="en-co-before-noun"),
    # Vietnamese: a sentence ending in a one-letter name (not after a unit/designator word)
    # before a foreign (plain ASCII) name
    pytest.param("Người chiến thắng là Nguyễn Văn A. Brazil đứng thứ hai.", "vi",
                 ["Người chiến thắng là Nguyễn Văn A.", "Brazil đứng thứ hai."], id="vi-single-letter-end"),
    # a Chinese sentence-final ellipsis before a new sentence is not a boundary (by convention)
    pytest.param("会谈被推迟了……然而各方仍保持接触。", "zh-Hans",
                 ["会谈被推迟了……", "然而各方仍保持接触。"], id="zh-final-ellipsis"),
    # a.m./p.m. before a name in a short sentence
    pytest.param("It's 5 p.m. Smith has left.", "en", ["It's 5 p.m.", "Smith has left."], id="en-pm-short"),
]


@pytest.mark.parametrize("text,expected", GOLDEN_EN, ids=[f"golden-{i}" for i in range(1, len(GOLDEN_EN) + 1)])
def test_english_golden_rules(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "en") == expected


@pytest.mark.xfail(strict=True, reason="known gap, see comment on each case")
@pytest.mark.parametrize("text,lang,expected", GAPS)
def test_known_gaps(text: str, lang: str, expected: list[str]) -> None:
    assert split_sentences(text, lang) == expected


# ---------------------------------------------------------------------------
# Chinese and Vietnamese cases
# ---------------------------------------------------------------------------

ZH_CASES = [
    ("国际社会维护国际和平与安全的工作继续受到严重挑战。今天，“战祸”仍然困扰着我们的世界。",
     ["国际社会维护国际和平与安全的工作继续受到严重挑战。", "今天，“战祸”仍然困扰着我们的世界。"]),
    ("自2015年以来，冲突造成的死亡总人数已超过488 000人。¹ 我们正在经受苦难。",
     ["自2015年以来，冲突造成的死亡总人数已超过488 000人。¹", "我们正在经受苦难。"]),
    ("资金为194.4亿美元，六年后达到了316亿美元。²", ["资金为194.4亿美元，六年后达到了316亿美元。²"]),
    ("他说：“今天天气很好。”然后他走了。", ["他说：“今天天气很好。”", "然后他走了。"]),
    ("“我们不能再等了！”他说。", ["“我们不能再等了！”", "他说。"]),
    ("他说：“我们愿意努力。我们相信对话。”随后散会。", ["他说：“我们愿意努力。", "我们相信对话。”", "随后散会。"]),
    ("他提出了“怎么办？”的问题。大家沉默了。", ["他提出了“怎么办？”的问题。", "大家沉默了。"]),
    ("请阅读《谁动了我的奶酪？》一书。很有意思。", ["请阅读《谁动了我的奶酪？》一书。", "很有意思。"]),
    ("第一，加强合作；第二，增进互信。这是共识。", ["第一，加强合作；第二，增进互信。", "这是共识。"]),
    ("钢铁、煤炭……等行业受到冲击。政府出台了措施。", ["钢铁、煤炭……等行业受到冲击。", "政府出台了措施。"]),
    ("会谈被推迟了……然而各方仍保持接触。", ["会谈被推迟了……然而各方仍保持接触。"]),
    ("她犹豫了一下……还是答应了。", ["她犹豫了一下……还是答应了。"]),
    ("会议在北京举行.双方讨论了合作问题.", ["会议在北京举行.", "双方讨论了合作问题."]),
    ("真的吗?我不信!他笑了。", ["真的吗?", "我不信!", "他笑了。"]),
    ("2019年6月14日至16日，峰会在杜尚别举行。[1]2018年，中国交接主席国。",
     ["2019年6月14日至16日，峰会在杜尚别举行。[1]", "2018年，中国交接主席国。"]),
    ("亚信会议(Conference on Interaction and Confidence Building Measures in Asia,CICA),简称亚信会议。是一个多边论坛。",
     ["亚信会议(Conference on Interaction and Confidence Building Measures in Asia,CICA),简称亚信会议。",
      "是一个多边论坛。"]),
    ("納扎爾巴耶夫說:\"在亞信基礎上應建立組織。它還應成為競爭者\"。這是提議。",
     ["納扎爾巴耶夫說:\"在亞信基礎上應建立組織。", "它還應成為競爭者\"。", "這是提議。"]),
    ("「太好了!」孩子們齊聲歡呼。", ["「太好了!」", "孩子們齊聲歡呼。"]),
    ("The UN was founded in 1945. It has 193 members.", ["The UN was founded in 1945.", "It has 193 members."]),
]

VI_CASES = [
    ("Ngày 30/1, tại New York, HĐBA họp. Phiên họp có sự tham dự của Tổng Thư ký LHQ António Guterres.",
     ["Ngày 30/1, tại New York, HĐBA họp.", "Phiên họp có sự tham dự của Tổng Thư ký LHQ António Guterres."]),
    ("Dự án có vốn 2.000 tỷ đồng. Tăng trưởng đạt 11,61%. Đây là mức cao.",
     ["Dự án có vốn 2.000 tỷ đồng.", "Tăng trưởng đạt 11,61%.", "Đây là mức cao."]),
    ("Hội nghị diễn ra tại TP. Hồ Chí Minh. Theo TS. Nguyễn Văn A, kết quả rất tốt.",
     ["Hội nghị diễn ra tại TP. Hồ Chí Minh.", "Theo TS. Nguyễn Văn A, kết quả rất tốt."]),
    ("PGS.TS. Trần Thị Lan và ThS. Lê Minh tham dự. Đại diện Q. Bình Thạnh cũng có mặt.",
     ["PGS.TS. Trần Thị Lan và ThS. Lê Minh tham dự.", "Đại diện Q. Bình Thạnh cũng có mặt."]),
    ("coi trọng quan hệ với các nước lớn... Việt Nam sẽ tiếp tục cải thiện môi trường.",
     ["coi trọng quan hệ với các nước lớn...", "Việt Nam sẽ tiếp tục cải thiện môi trường."]),
    ("Các nước như Mỹ, Nhật... đều tham gia. Đó là tin vui.",
     ["Các nước như Mỹ, Nhật... đều tham gia.", "Đó là tin vui."]),
    ('Ông nói: "Chúng tôi đã sẵn sàng. Mọi thứ đều tốt." Sau đó ông rời đi.',
     ['Ông nói: "Chúng tôi đã sẵn sàng.', 'Mọi thứ đều tốt."', "Sau đó ông rời đi."]),
    ('"Anh có khỏe không?" cô hỏi. "Tôi khỏe", anh đáp.',
     ['"Anh có khỏe không?" cô hỏi.', '"Tôi khỏe", anh đáp.']),
    ("– Anh đi đâu đấy? – Tôi về quê.", ["– Anh đi đâu đấy?", "– Tôi về quê."]),
    ("– Anh đi đâu đấy?\n– Tôi về quê.", ["– Anh đi đâu đấy?", "– Tôi về quê."]),
    ("Người dân mua khẩu trang, thực phẩm v.v. Nhiều cửa hàng hết hàng.",
     ["Người dân mua khẩu trang, thực phẩm v.v.", "Nhiều cửa hàng hết hàng."]),
    ("Nhiệt độ có nơi trên 40 độ C. Người dân được khuyến cáo ở trong nhà.",
     ["Nhiệt độ có nơi trên 40 độ C.", "Người dân được khuyến cáo ở trong nhà."]),
    ("Ông A. Guterres phát biểu.", ["Ông A. Guterres phát biểu."]),
    ("Đà Nẵng là thành phố lớn. Đây là nơi tổ chức APEC 2017.",
     ["Đà Nẵng là thành phố lớn.", "Đây là nơi tổ chức APEC 2017."]),
    ("tại thủ đô Washington D.C., Hoa Kỳ, hai bên đã đối thoại. Kết quả tốt.",
     ["tại thủ đô Washington D.C., Hoa Kỳ, hai bên đã đối thoại.", "Kết quả tốt."]),
]


@pytest.mark.parametrize("text,expected", ZH_CASES)
@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "zh", "zt"])
def test_chinese_cases(text: str, expected: list[str], lang: str) -> None:
    assert split_sentences(text, lang) == expected


@pytest.mark.parametrize("text,expected", VI_CASES)
def test_vietnamese_cases(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "vi") == expected


# ---------------------------------------------------------------------------
# Conventions adopted in segmenter version 2 (one group per decision)
# ---------------------------------------------------------------------------

DECISION_CASES = [
    # 1. nothing inside 《…》 / 〈…〉 (nested too) ends a sentence, nor right after the closing bracket
    pytest.param("印度电影《摔跤吧！爸爸》于2017年上映。观众反响热烈。", "zh-Hans",
                 ["印度电影《摔跤吧！爸爸》于2017年上映。", "观众反响热烈。"], id="d1-title-exclamation"),
    pytest.param("印度電影《摔跤吧！爸爸》於2017年上映。觀眾反應熱烈。", "zh-Hant",
                 ["印度電影《摔跤吧！爸爸》於2017年上映。", "觀眾反應熱烈。"], id="d1-title-exclamation-hant"),
    pytest.param("他写了《再读〈狂人日记〉！真的吗？》一文。反响不错。", "zh-Hans",
                 ["他写了《再读〈狂人日记〉！真的吗？》一文。", "反响不错。"], id="d1-nested-titles"),
    pytest.param("节目名叫〈明天会更好？〉，收视率很高。", "zh-Hant",
                 ["节目名叫〈明天会更好？〉，收视率很高。"], id="d1-angle-title"),
    pytest.param("这部《J.R.R.托尔金传》很厚。我读了一周。", "zh-Hans",
                 ["这部《J.R.R.托尔金传》很厚。", "我读了一周。"], id="d1-title-latin"),
    pytest.param("他说《不！》不好看。", "zh-Hans", ["他说《不！》不好看。"], id="d1-after-title"),
    # 2. ASCII . ! ? end a Chinese sentence only right after Han text
    pytest.param("美国钢铁公司（U.S. Steel）在匹兹堡成立。后来被收购。", "zh-Hans",
                 ["美国钢铁公司（U.S. Steel）在匹兹堡成立。", "后来被收购。"], id="d2-us-steel"),
    pytest.param("她在加州大学（U.C. Berkeley）任教。", "zh-Hans", ["她在加州大学（U.C. Berkeley）任教。"],
                 id="d2-uc-berkeley"),
    pytest.param("J. R. R. 托爾金是語言學家。他精通多種語言。", "zh-Hant",
                 ["J. R. R. 托爾金是語言學家。", "他精通多種語言。"], id="d2-initials-spaced"),
    pytest.param("J.K.罗琳今天签售。书店排起长队。", "zh-Hans", ["J.K.罗琳今天签售。", "书店排起长队。"], id="d2-initials"),
    pytest.param("请登录www.who.int查看。利率上调0.25个百分点。", "zh-Hans",
                 ["请登录www.who.int查看。", "利率上调0.25个百分点。"], id="d2-url-decimal"),
    pytest.param("他在Yahoo!工作。她在Google上班.我们都很忙。", "zh-Hans",
                 ["他在Yahoo!工作。", "她在Google上班.", "我们都很忙。"], id="d2-latin-before"),
    pytest.param("该公司改名为Meta Inc.总部不变。", "zh-Hans", ["该公司改名为Meta Inc.总部不变。"],
                 id="d2-latin-abbrev"),
    pytest.param("天气真好!我们去爬山吧?好主意。", "zh-Hans",
                 ["天气真好!", "我们去爬山吧?", "好主意。"], id="d2-after-han"),
    pytest.param("详见附件（三）.下文从略。", "zh-Hans", ["详见附件（三）.", "下文从略。"], id="d2-after-bracket"),
    # 3. split inside multi-sentence quotations; continuation after the closing quote
    pytest.param("他说：“天黑了。快回家吧。”孩子们跑开了。", "zh-Hans",
                 ["他说：“天黑了。", "快回家吧。”", "孩子们跑开了。"], id="d3-multi-quote"),
    pytest.param("她說：「我贊成！大家呢？」沒人回答。", "zh-Hant",
                 ["她說：「我贊成！", "大家呢？」", "沒人回答。"], id="d3-multi-quote-hant"),
    pytest.param("老师问：“谁读过『春晓。』这首诗？”大家举手。", "zh-Hans",
                 ["老师问：“谁读过『春晓。』", "这首诗？”", "大家举手。"], id="d3-nested-quote"),
    pytest.param("“开门！”他喊道。", "zh-Hans", ["“开门！”", "他喊道。"], id="d3-speaker-after"),
    pytest.param("“开门！”的喊声传来。", "zh-Hans", ["“开门！”的喊声传来。"], id="d3-de"),
    pytest.param("他喊一声“开门！”便冲了进去。", "zh-Hans", ["他喊一声“开门！”便冲了进去。"], id="d3-bian"),
    pytest.param("“再见。”说完她就走了。", "zh-Hans", ["“再见。”说完她就走了。"], id="d3-shuo"),
    pytest.param("“谢谢！”、“不客气！”等礼貌用语很常用。", "zh-Hans", ["“谢谢！”、“不客气！”等礼貌用语很常用。"],
                 id="d3-dunhao-deng"),
    pytest.param("“好！”一位老人站起来说。", "zh-Hans", ["“好！”", "一位老人站起来说。"], id="d3-exception-yiwei"),
    pytest.param("「成交！」後來雙方都後悔了。", "zh-Hant", ["「成交！」", "後來雙方都後悔了。"], id="d3-exception-houlai"),
    pytest.param("他说：“我很累。”", "zh-Hans", ["他说：“我很累。”"], id="d3-quote-at-end"),
    # 4. an ellipsis alone is a pause, not a terminator
    pytest.param("仓库里堆满了木材、钢材、水泥……各种建材。", "zh-Hans",
                 ["仓库里堆满了木材、钢材、水泥……各种建材。"], id="d4-list-ellipsis"),
    pytest.param("她「嗯……」地想了半天。", "zh-Hant", ["她「嗯……」地想了半天。"], id="d4-quote-ellipsis-de"),
    pytest.param("雨一直下……直到深夜。", "zh-Hans", ["雨一直下……直到深夜。"], id="d4-pause"),
    pytest.param("雨一直下……。天终于亮了。", "zh-Hans", ["雨一直下……。", "天终于亮了。"], id="d4-ellipsis-stop"),
    pytest.param("他说：“让我想想……”大家等着。", "zh-Hans", ["他说：“让我想想……”", "大家等着。"], id="d4-ellipsis-quote"),
    pytest.param("價格從100元漲到200元...實在太貴了。", "zh-Hant", ["價格從100元漲到200元...實在太貴了。"],
                 id="d4-ascii-ellipsis"),
    # 5. vi/en: split inside quotations before a capital, not before lowercase
    pytest.param("Ông Hải chia sẻ: “Vụ mùa năm nay rất tốt. Giá bán cũng cao.” Ông mỉm cười.", "vi",
                 ["Ông Hải chia sẻ: “Vụ mùa năm nay rất tốt.", "Giá bán cũng cao.”", "Ông mỉm cười."],
                 id="d5-vi-multi-quote"),
    pytest.param("“Thật bất ngờ!” cô thốt lên.", "vi", ["“Thật bất ngờ!” cô thốt lên."], id="d5-vi-lower-after"),
    pytest.param('The coach said: "We played well. We lost anyway." Fans left early.', "en",
                 ['The coach said: "We played well.', 'We lost anyway."', "Fans left early."], id="d5-en-multi-quote"),
    pytest.param('He wrote, "Call Mr. Lee at 5 p.m. today." Then he left.', "en",
                 ['He wrote, "Call Mr. Lee at 5 p.m. today."', "Then he left."], id="d5-en-abbrev-in-quote"),
    pytest.param('"Is it done?" she asked.', "en", ['"Is it done?" she asked.'], id="d5-en-lower-after"),
    # 6. Vietnamese unit words: độ C. / độ F. end a sentence before any capital
    pytest.param("Trời nóng tới 39,8 độ C. Trường học cho học sinh nghỉ.", "vi",
                 ["Trời nóng tới 39,8 độ C.", "Trường học cho học sinh nghỉ."], id="d6-do-c"),
    pytest.param("Nhiệt độ ở Texas là 100 độ F. Texas ban bố tình trạng khẩn cấp.", "vi",
                 ["Nhiệt độ ở Texas là 100 độ F.", "Texas ban bố tình trạng khẩn cấp."], id="d6-do-f"),
    pytest.param("Việt Nam nằm ở bảng B. Indonesia cũng vậy.", "vi",
                 ["Việt Nam nằm ở bảng B.", "Indonesia cũng vậy."], id="d6-bang"),
    pytest.param("Ông A. Guterres đến Hà Nội.", "vi", ["Ông A. Guterres đến Hà Nội."], id="d6-initial-kept"),
    # 7. English U.S./U.N./D.C./U.K./E.U. + capitalised word
    pytest.param("Oil exports to the U.S. Canada remained the largest buyer.", "en",
                 ["Oil exports to the U.S.", "Canada remained the largest buyer."], id="d7-us-split"),
    pytest.param("The march ended in Washington, D.C. Protesters then went home.", "en",
                 ["The march ended in Washington, D.C.", "Protesters then went home."], id="d7-dc-split"),
    pytest.param("She briefed the U.N. Security Council on Friday.", "en",
                 ["She briefed the U.N. Security Council on Friday."], id="d7-un-security-council"),
    pytest.param("He served in the U.S. Navy for a decade.", "en", ["He served in the U.S. Navy for a decade."],
                 id="d7-us-navy"),
    pytest.param("The D.C. Circuit upheld the rule.", "en", ["The D.C. Circuit upheld the rule."], id="d7-dc-circuit"),
    pytest.param("Talks moved to the U.K. Germany hosted the next round.", "en",
                 ["Talks moved to the U.K.", "Germany hosted the next round."], id="d7-uk-split"),
    pytest.param("The deal was signed by the E.U. Commission and Japan.", "en",
                 ["The deal was signed by the E.U. Commission and Japan."], id="d7-eu-commission"),
]


@pytest.mark.parametrize("text,lang,expected", DECISION_CASES)
def test_version2_conventions(text: str, lang: str, expected: list[str]) -> None:
    assert split_sentences(text, lang) == expected
    # the document segmentation agrees and stays lossless
    sents = segment_document(text, lang)
    assert [s.prefix + s.text + s.suffix for s in sents] == expected
    assert rebuild(text, sents) == text


def test_split_sentences_contract() -> None:
    text = "  Hello world.  My name is Jonas!\n\nIs it?  "
    out = split_sentences(text, "en")
    assert out == ["Hello world.", "My name is Jonas!", "Is it?"]
    assert all(s and s == s.strip() for s in out)
    assert split_sentences("", "en") == []
    assert split_sentences(" \n\t ", "vi") == []


def test_language_codes() -> None:
    assert normalize_lang("zh-Hans") == normalize_lang("zh-Hant") == normalize_lang("zt") == "zh"
    assert normalize_lang("zh_TW") == "zh"
    assert normalize_lang("vi") == "vi" and normalize_lang("en-US") == "en"
    with pytest.raises(InputError):
        normalize_lang("fr")
    assert SEGMENTER_VERSION == "3"


# ---------------------------------------------------------------------------
# Alignment issue: segmentation of real text (one group per item)
# ---------------------------------------------------------------------------

ISSUE_CASES = [
    # Vietnamese "..." / "…" before a capital ends a sentence
    pytest.param("Chúng tôi đã chờ rất lâu... Cuối cùng họ cũng đến.", "vi",
                 ["Chúng tôi đã chờ rất lâu...", "Cuối cùng họ cũng đến."], id="vi-three-dots"),
    pytest.param("Chúng tôi đã chờ rất lâu… Cuối cùng họ cũng đến.", "vi",
                 ["Chúng tôi đã chờ rất lâu…", "Cuối cùng họ cũng đến."], id="vi-ellipsis-char"),
    pytest.param("Anh ấy nói: “Để tôi nghĩ đã…” Rồi anh im lặng.", "vi",
                 ["Anh ấy nói: “Để tôi nghĩ đã…”", "Rồi anh im lặng."], id="vi-ellipsis-quote"),
    pytest.param("Gạo, thịt, rau củ... đều tăng giá.", "vi", ["Gạo, thịt, rau củ... đều tăng giá."],
                 id="vi-ellipsis-lowercase"),
    # a closing quote after ! or ? stays with its sentence
    pytest.param('Cô ấy hét lên: "Cứu tôi với!" Mọi người chạy đến.', "vi",
                 ['Cô ấy hét lên: "Cứu tôi với!"', "Mọi người chạy đến."], id="vi-quote-bang"),
    pytest.param("Anh ấy hỏi: “Có thật không?” Tôi gật đầu.", "vi",
                 ["Anh ấy hỏi: “Có thật không?”", "Tôi gật đầu."], id="vi-quote-question"),
    pytest.param("Anh ấy hỏi: “Có thật không?”, rồi im lặng.", "vi",
                 ["Anh ấy hỏi: “Có thật không?”, rồi im lặng."], id="vi-quote-comma"),
    pytest.param('"Bắt kiểu này ngày được bao nhiêu con?" - tôi hỏi. Ông H. nhảy ra khỏi lùm cây.', "vi",
                 ['"Bắt kiểu này ngày được bao nhiêu con?" - tôi hỏi.', "Ông H. nhảy ra khỏi lùm cây."],
                 id="vi-quote-dash-attribution"),
    pytest.param("– Anh đi đâu đấy? – Tôi về quê.", "vi", ["– Anh đi đâu đấy?", "– Tôi về quê."],
                 id="vi-dialogue-dashes"),
    # abbreviations: TP. HCM, tp. HCM, ThS.
    pytest.param("Hội nghị tổ chức tại TP. HCM vào tháng 5. Đại biểu đến từ nhiều nơi.", "vi",
                 ["Hội nghị tổ chức tại TP. HCM vào tháng 5.", "Đại biểu đến từ nhiều nơi."], id="vi-tp-hcm"),
    pytest.param("Cô tốt nghiệp đại học Kinh tế tp. HCM năm 1992. Sau đó cô đi làm.", "vi",
                 ["Cô tốt nghiệp đại học Kinh tế tp. HCM năm 1992.", "Sau đó cô đi làm."], id="vi-tp-lower"),
    pytest.param("Báo cáo do ThS. Nguyễn Văn Bình trình bày. Hội đồng đánh giá cao.", "vi",
                 ["Báo cáo do ThS. Nguyễn Văn Bình trình bày.", "Hội đồng đánh giá cao."], id="vi-ths"),
    pytest.param("PGS.TS. Trần Thị Lan và ThS. Lê Minh tham dự.", "vi",
                 ["PGS.TS. Trần Thị Lan và ThS. Lê Minh tham dự."], id="vi-pgs-ts-ths"),
    # English: a parenthesis after a.m./p.m. goes on with the sentence
    pytest.param("The meeting starts at 8 a.m. (New York time). Delegates should arrive early.", "en",
                 ["The meeting starts at 8 a.m. (New York time).", "Delegates should arrive early."],
                 id="en-am-parenthesis"),
    pytest.param("Trading opens at 9.30 a.m. (EST) on weekdays.", "en",
                 ["Trading opens at 9.30 a.m. (EST) on weekdays."], id="en-am-parenthesis-mid"),
    pytest.param("The vote is at 10 a.m. The Council then adjourns.", "en",
                 ["The vote is at 10 a.m.", "The Council then adjourns."], id="en-am-still-ends"),
    # found on the real-text sets: a note reference after the full stop and a space stays with its sentence
    pytest.param("The mission ended in 2019. [12] A new mission began in 2020. [13]", "en",
                 ["The mission ended in 2019. [12]", "A new mission began in 2020. [13]"], id="en-spaced-note-ref"),
    pytest.param("Repairs were routine. [...] The manuals helped.", "en",
                 ["Repairs were routine. [...]", "The manuals helped."], id="en-spaced-omission"),
    pytest.param("He was at school, [6] and she was not.", "en", ["He was at school, [6] and she was not."],
                 id="en-ref-mid-sentence"),
    # known gaps (ideal output)
    pytest.param("Ông tốt nghiệp ThS. Sau đó ông về nước.", "vi",
                 ["Ông tốt nghiệp ThS.", "Sau đó ông về nước."], id="gap-vi-ths-final",
                 marks=pytest.mark.xfail(strict=True, reason="a title abbreviation never ends a sentence")),
    pytest.param("He left at 5 p.m. (He said he was tired.) Nobody followed.", "en",
                 ["He left at 5 p.m.", "(He said he was tired.)", "Nobody followed."], id="gap-en-pm-paren-sentence",
                 marks=pytest.mark.xfail(strict=True, reason="a parenthesis after a.m./p.m. is taken as going on")),
]


@pytest.mark.parametrize("text,lang,expected", ISSUE_CASES)
def test_alignment_issue_cases(text: str, lang: str, expected: list[str]) -> None:
    assert split_sentences(text, lang) == expected
    sents = segment_document(text, lang)
    assert [s.prefix + s.text + s.suffix for s in sents] == expected
    assert rebuild(text, sents) == text


PAGE_BREAK_ZH = (
    "6. 认识到这些优势，各区域组织进行了讨论。这些区域组织建立了促进建立信任措施的各种机\n\n"
    "¹ 乌普萨拉冲突数据方案，2021年。\n\n"
    "² 见秘书长的报告(S/2015/730)。\n\n"
    "制，以建立信任，避免区域国家之间的紧张关系。非洲联盟一直在发挥核心作用。\n"
)
PAGE_BREAK_EN = (
    "6. Recognizing these advantages, the Council held talks. These organizations have established "
    "various mechanisms for\n\n"
    "1 Uppsala Conflict Data Program, 2021.\n\n"
    "- 3 -\n\n"
    "building confidence between States. The African Union plays a central role.\n"
)

# (text, lang, expected units as joined texts)
PAGE_BREAK_CASES = [
    pytest.param(PAGE_BREAK_ZH, "zh-Hans",
                 ["认识到这些优势，各区域组织进行了讨论。",
                  "这些区域组织建立了促进建立信任措施的各种机制，以建立信任，避免区域国家之间的紧张关系。",
                  "乌普萨拉冲突数据方案，2021年。", "见秘书长的报告(S/2015/730)。", "非洲联盟一直在发挥核心作用。"],
                 id="zh-footnotes"),
    pytest.param(PAGE_BREAK_EN, "en",
                 ["Recognizing these advantages, the Council held talks.",
                  "These organizations have established various mechanisms for building confidence between States.",
                  "1 Uppsala Conflict Data Program, 2021.", "3 -", "The African Union plays a central role."],
                 id="en-footnote-and-page-number"),
    # a title (no comma) before a paragraph: no join
    pytest.param("关于加强联合国与区域和次区域组织在维持国际和平与安全方面合作的秘书长报告\n\n¹ 脚注。\n\n安全理事会审议了报告。", "zh-Hans",
                 ["关于加强联合国与区域和次区域组织在维持国际和平与安全方面合作的秘书长报告", "脚注。", "安全理事会审议了报告。"],
                 id="zh-title-not-joined"),
    # the next part starts with a label: a new paragraph, no join
    pytest.param("这些区域组织建立了促进建立信任措施的各种机制，以建立信任措施的各种机\n\n¹ 脚注。\n\n7. 安全理事会审议了报告。", "zh-Hans",
                 ["这些区域组织建立了促进建立信任措施的各种机制，以建立信任措施的各种机", "脚注。", "安全理事会审议了报告。"],
                 id="zh-label-not-joined"),
    # seed 004: a line without final punctuation, a blank line, a clause: no footnote between, no join
    pytest.param("2018年,中國將亞信主席國職責交予新任主席國塔吉克斯坦，以此為例說明\n\n橫跨亞洲各區域,涵蓋不同制度。", "zh-Hant",
                 ["2018年,中國將亞信主席國職責交予新任主席國塔吉克斯坦，以此為例說明", "橫跨亞洲各區域,涵蓋不同制度。"],
                 id="zh-no-footnote-not-joined"),
    # English: the next part starts with a capital: no join
    pytest.param("These organizations have established various mechanisms for trust\n\n1 See the report.\n\nThe Council met.", "en",
                 ["These organizations have established various mechanisms for trust", "1 See the report.", "The Council met."],
                 id="en-capital-not-joined"),
]


@pytest.mark.parametrize("text,lang,expected", PAGE_BREAK_CASES)
def test_page_break_joins(text: str, lang: str, expected: list[str]) -> None:
    sents = segment_document(text, lang)
    _check_lossless(text, sents)
    assert [t for _, t in sentence_units(sents, lang)] == expected
    for idx, _ in sentence_units(sents, lang):
        if len(idx) > 1:  # the parts are marked, the footnotes between them are not
            assert sents[idx[0]].continued and sents[idx[-1]].continues
            assert not any(s.continued or s.continues for s in sents[idx[0] + 1 : idx[-1]])


def test_page_break_seed_000() -> None:
    text, lang = _seed("000")
    sents = segment_document(text, lang)
    _check_lossless(text, sents)
    joined = [(idx, t) for idx, t in sentence_units(sents, lang) if len(idx) > 1]
    assert [t for _, t in joined] == [
        "这些区域组织建立了促进建立信任措施的各种机制，以建立信任，避免区域国家之间的紧张关系，并在这方面协助各个会员国。"
    ]
    idx = joined[0][0]
    between = [sents[i] for i in range(idx[0] + 1, idx[-1])]
    assert [(s.prefix, s.text[:8]) for s in between] == [("¹ ", "乌普萨拉冲突数据"), ("² ", "见秘书长题为“联")]
    assert sorted(i for u, _ in sentence_units(sents, lang) for i in u) == list(range(len(sents)))


@pytest.mark.xfail(strict=True, reason="without a footnote or page number between, a page break is not told from a heading")
def test_page_break_without_footnotes_gap() -> None:
    text = "这些区域组织建立了促进建立信任措施的各种机制，以建立信任措施的各种机\n\n制，以建立信任。"
    units = [t for _, t in sentence_units(segment_document(text, "zh-Hans"), "zh-Hans")]
    assert units == ["这些区域组织建立了促进建立信任措施的各种机制，以建立信任措施的各种机制，以建立信任。"]


# ---------------------------------------------------------------------------
# Structure: prefixes and suffixes
# ---------------------------------------------------------------------------

STRUCTURE_CASES = [
    ("1. 国际社会维护和平。", "zh-Hans", [("1. ", "国际社会维护和平。", "")]),
    ("12. The Council met.", "en", [("12. ", "The Council met.", "")]),
    ("(a) to strengthen cooperation;", "en", [("(a) ", "to strengthen cooperation;", "")]),
    ("- (a) 促进伙伴关系；", "zh-Hans", [("- (a) ", "促进伙伴关系；", "")]),
    ("a) first point", "en", [("a) ", "first point", "")]),
    ("(iv) fourth point", "en", [("(iv) ", "fourth point", "")]),
    ("1、1992-1995年,組織研討會;", "zh-Hant", [("1、", "1992-1995年,組織研討會;", "")]),
    ("一、背景", "zh-Hans", [("一、", "背景", "")]),
    ("（一）总则", "zh-Hans", [("（一）", "总则", "")]),
    ("• Bullet item", "en", [("• ", "Bullet item", "")]),
    ("* Starred item", "en", [("* ", "Starred item", "")]),
    ("– Anh đi đâu?", "vi", [("– ", "Anh đi đâu?", "")]),
    ("I. Introduction", "en", [("I. ", "Introduction", "")]),
    ("1.", "en", [("1.", "", "")]),
    ("¹ 乌普萨拉冲突数据方案，2021年。", "zh-Hans", [("¹ ", "乌普萨拉冲突数据方案，2021年。", "")]),
    ("(1993年3月-1996年2月):在這一階段,專家參加了會議。", "zh-Hant",
     [("", "(1993年3月-1996年2月):在這一階段,專家參加了會議。", "")]),
    ("峰會在杜尚別舉行。[1]", "zh-Hant", [("", "峰會在杜尚別舉行。", "[1]")]),
    ("超过488 000人。¹ 我们正在经受苦难。", "zh-Hans",
     [("", "超过488 000人。", "¹"), ("", "我们正在经受苦难。", "")]),
    ("He was a martyr.[1][2] The emperor left.", "en",
     [("", "He was a martyr.", "[1][2]"), ("", "The emperor left.", "")]),
    ("The area is 5 km²", "en", [("", "The area is 5 km²", "")]),
    ("1.5 million people fled.", "en", [("", "1.5 million people fled.", "")]),
    ("J. R. R. Tolkien wrote it.", "en", [("", "J. R. R. Tolkien wrote it.", "")]),
    ("1. The first item. 2. The second item.", "en",
     [("1. ", "The first item.", ""), ("2. ", "The second item.", "")]),
]


@pytest.mark.parametrize("text,lang,expected", STRUCTURE_CASES)
def test_prefix_and_suffix(text: str, lang: str, expected: list[tuple[str, str, str]]) -> None:
    sents = segment_document(text, lang)
    assert [(s.prefix, s.text, s.suffix) for s in sents] == expected
    assert rebuild(text, sents) == text


def test_every_line_is_a_paragraph() -> None:
    text = "Title\nFirst line. Second sentence.\n\n  \nThird\nfourth line\n"
    sents = segment_document(text, "en")
    assert [(s.paragraph, s.text) for s in sents] == [
        (0, "Title"), (1, "First line."), (1, "Second sentence."), (2, "Third"), (3, "fourth line"),
    ]
    assert rebuild(text, sents) == text


# ---------------------------------------------------------------------------
# Dev-set accuracy (thresholds just below what the segmenter achieves)
# ---------------------------------------------------------------------------

THRESHOLDS = {"zh-Hans": 0.98, "zh-Hant": 0.98, "vi": 0.97, "en": 0.97}


def _load_dev(lang: str) -> list[tuple[str, list[str]]]:
    joiner = "" if lang.startswith("zh") else " "
    out = []
    for line in (DEV_DIR / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            out.append((rec.get("text", joiner.join(rec["sentences"])), rec["sentences"]))
    return out


@pytest.mark.parametrize("lang", sorted(THRESHOLDS))
def test_dev_set_accuracy(lang: str) -> None:
    dev = _load_dev(lang)
    multi = [(t, s) for t, s in dev if len(s) > 1]
    assert len(multi) >= 60
    misses = [(t, s, split_sentences(t, lang)) for t, s in multi if split_sentences(t, lang) != s]
    accuracy = 1 - len(misses) / len(multi)
    assert accuracy >= THRESHOLDS[lang], misses[:5]


# ---------------------------------------------------------------------------
# Seeds
# ---------------------------------------------------------------------------


def _seed(prefix: str) -> tuple[str, str]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8"), SEED_LANGS[prefix]


def _check_lossless(text: str, sents: list[Sentence]) -> None:
    assert rebuild(text, sents) == text
    pos = 0
    last_para = -1
    for s in sents:
        assert pos <= s.start <= s.end
        assert text[pos:s.start].strip() == ""
        assert text[s.start:s.end] == s.prefix + s.text + s.suffix
        assert s.text == s.text.strip()
        assert s.paragraph >= last_para
        last_para = s.paragraph
        pos = s.end
    assert text[pos:].strip() == ""


@pytest.mark.parametrize("prefix", sorted(SEED_LANGS))
def test_seed_rebuilds_exactly(prefix: str) -> None:
    text, lang = _seed(prefix)
    sents = segment_document(text, lang)
    assert sents
    _check_lossless(text, sents)
    # split_sentences agrees with the document segmentation line by line
    for line in text.split("\n"):
        pieces = [s.prefix + s.text + s.suffix for s in segment_document(line, lang)]
        if lang.startswith("zh"):
            assert split_sentences(line, lang) == pieces


def test_seed_spot_checks() -> None:
    text, lang = _seed("000")
    sents = segment_document(text, lang)
    first = next(s for s in sents if s.text.startswith("国际社会维护"))
    assert first.prefix == "1. " and first.text == "国际社会维护国际和平与安全的工作继续受到严重挑战。"
    note = next(s for s in sents if s.text.startswith("自2015年以来"))
    assert note.text.endswith("488 000人。") and note.suffix == "¹"
    assert any(s.prefix == "- (a) " for s in sents)
    assert any(s.prefix == "(a) " for s in sents)

    text, lang = _seed("004")
    sents = segment_document(text, lang)
    summit = next(s for s in sents if s.text.startswith("2019年6月14日至16日"))
    assert summit.suffix == "[1]" and summit.text.endswith("舉行。")
    assert any(s.prefix == "1、" and s.text.startswith("1992-1995年") for s in sents)
    assert any(s.text.startswith("(1993年3月-1996年2月):") and s.prefix == "" for s in sents)

    text, lang = _seed("002")
    got = [s.text for s in segment_document(text, lang)]
    assert "Phiên họp có sự tham dự của Tổng Thư ký LHQ António Guterres và Tổng Thư ký ASEAN Lim Jock Hoi." in got
    assert any(t.endswith("các nước lớn...") for t in got)

    text, lang = _seed("003")
    got = [s.text for s in segment_document(text, lang)]
    assert "He made the statement at the Seventh ASEAN-UN Workshop – 5th regional dialogue on political-security co-operation which was held in Hà Nội on Tuesday." in got
    assert "It was organised by the Vietnamese Foreign Ministry and the UN Departments of Political and Peace building Affairs and Peace Operations." in got


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

_ALPHABET = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(list("。！？!?.…“”「」『』《》()（）[]\"' \n\t\u3000\u00a0\r1a A)-•·、¹²;,：:")),
    st.sampled_from(["\u0301", "\u0323", "\u2028", "\x85", "\x0c", "Mr.", "U.S.", "1. ", "(a) ", "[1]", ". . ."]),
    st.sampled_from(["\n\n¹ 注。\n\n", "\n\n1 See.\n\n", "各区域组织建立了促进建立信任措施的各种机制，以建立信任措施的", "制，以", " six words in a broken line", "\n\n- 3 -\n\nand"]),
)
_TEXT = st.lists(_ALPHABET, max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT, lang=st.sampled_from(["zh-Hans", "zh-Hant", "vi", "en"]))
def test_segment_document_is_lossless(text: str, lang: str) -> None:
    sents = segment_document(text, lang)
    _check_lossless(text, sents)
    units = sentence_units(sents, lang)
    assert sorted(i for idx, _ in units for i in idx) == list(range(len(sents)))
    assert all(idx == sorted(idx) for idx, _ in units)


@settings(max_examples=200, deadline=None)
@given(text=_TEXT, lang=st.sampled_from(["zh", "vi", "en"]))
def test_split_sentences_removes_only_whitespace(text: str, lang: str) -> None:
    out = split_sentences(text, lang)
    assert all(s and s == s.strip() for s in out)
    assert _joined_matches(text, out)


def _joined_matches(text: str, out: list[str]) -> bool:
    """Every sentence occurs in order and only whitespace lies between them."""
    pos = 0
    for s in out:
        k = text.find(s, pos)
        if k < 0 or text[pos:k].strip():
            return False
        pos = k + len(s)
    return not text[pos:].strip()


def test_speed() -> None:
    """A quarter megabyte well under a second (1 MB of seed text takes ~0.3-0.7 s)."""
    text, lang = _seed("004")
    big = (text + "\n") * (250_000 // len(text) + 1)
    t0 = time.perf_counter()
    segment_document(big, lang)
    assert time.perf_counter() - t0 < 1.5


# ---------------------------------------------------------------------------
# CLI helpers
# ---------------------------------------------------------------------------


def test_segment_passages_and_text(tmp_path: Path) -> None:
    lines = ['"第一句。第二句！"', "", '"Hello World. My name is Jonas."', '"Ông nói. Sau đó ông đi."']
    assert segment_passages(lines) == [
        ["第一句。", "第二句！"], [], ["Hello World.", "My name is Jonas."], ["Ông nói.", "Sau đó ông đi."],
    ]
    assert segment_passages(['"A. B."'], "zh-Hans") == [["A. B."]]
    with pytest.raises(InputError):
        segment_passages(['{"a": 1}'])
    with pytest.raises(InputError):
        segment_passages(["not json"])
    doc = tmp_path / "d.txt"
    doc.write_bytes("\ufeff第一句。\r\n第二句！".encode("utf-8"))
    assert segment_text(doc) == ["第一句。", "第二句！"]
    assert segment_text("-", "Một câu. Hai câu.".encode("utf-8"), "vi") == ["Một câu.", "Hai câu."]
    with pytest.raises(InputError):
        segment_text(tmp_path / "missing.txt")


# ---------------------------------------------------------------------------
# Page-break marks in the store (translations/*.yaml)
# ---------------------------------------------------------------------------


def test_page_break_marks_survive_the_store(translated_seeds: Path) -> None:
    from workbench import store
    from workbench.errors import StoreError

    path = translated_seeds / "translations" / "000_093349a39d32f8f2.yaml"
    doc = store.load(path)
    assert doc is not None
    marked = [(s.continued, s.continues, s.source[:6]) for s in doc.segments if s.continued or s.continues]
    assert marked == [(True, False, "这些区域组织"), (False, True, "制，以建立信")]
    assert doc.source_text() == (translated_seeds / "seeds" / "000_093349a39d32f8f2.txt").read_text(encoding="utf-8")
    raw = path.read_text(encoding="utf-8")
    assert raw.count("continued: true") == 1 and raw.count("continues: true") == 1
    again = store.loads(store.dumps(doc), path.name)
    assert [(s.continued, s.continues) for s in again.segments] == [(s.continued, s.continues) for s in doc.segments]
    with pytest.raises(StoreError, match="`continues` must be true or false"):
        store.loads(raw.replace("continues: true", "continues: 'yes'"), path.name)
