"""Copy drafts a translator can use: OmegaT's "insert source" with terms resolved."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.glossary import Glossary
from workbench.translate import find_hits, inject

ROOT = Path(__file__).resolve().parents[1]
G = Glossary.load(ROOT / "glossary.yaml")


def draft(text: str, lang: str) -> str:
    hits, _ = find_hits(G, [text], lang)
    return inject(text, hits[0], G)


@pytest.mark.parametrize(
    "source, lang, expected",
    [
        # a term that starts the sentence is capitalised
        ("公开辩论的目的", "zh-Hans", "Open debate 的目的"),
        # an abbreviation in brackets after its full name is rendered once
        ("Chủ tịch Hội đồng Bảo an Liên Hợp quốc (HĐBA) tháng 1/2020", "vi", "President of the Security Council January 2020"),
        ("当前的2019冠状病毒病(COVID-19)大流行", "zh-Hans", "当前的 coronavirus disease (COVID-19) 大流行"),
        ("东南亚国家联盟(东盟)在内", "zh-Hans", "Association of Southeast Asian Nations (ASEAN)在内"),
        # spacing at quotes
        ("“亚信”成员国", "zh-Hans", "“CICA” member States"),
        ('召開"亞信"外長會議的可能性', "zh-Hant", '召開"CICA" Ministerial Meeting 的可能性'),
        # number agreement the source makes plain; no invented article
        ("Theo đó, mỗi quốc gia thành viên cần", "vi", "Theo đó, mỗi Member State cần"),
        ("3 Bộ trưởng (Tunisia, Estonia, Đức)", "vi", "3 Ministers (Tunisia, Estonia, Đức)"),
        ("và các Đại sứ", "vi", "và các Ambassadors"),
        ("và các Đại sứ, Trưởng Phái đoàn các nước", "vi", "và các Ambassadors, heads of delegation các nước"),  # a list continues the plural
        ("Đại sứ, Trưởng Phái đoàn", "vi", "Ambassador, head of delegation"),
        ("请会员国和观察员", "zh-Hans", "请 Member States 和 observers"),
        ("中國是亞信創始成員國", "zh-Hant", "China 是 CICA founding member State"),  # one subject
        ("推動斯里蘭卡升級成為亞信成員國", "zh-Hant", "推動 Sri Lanka 升級成為 CICA member State"),
        ("白俄羅斯、老撾和國際移民組織成為亞信觀察員", "zh-Hant", "Belarus、Lao People's Democratic Republic 和 International Organization for Migration 成為 CICA observers"),  # a list
        ("中國是亞信成員國之一", "zh-Hant", "China 是 CICA member States 之一"),  # one of the member States
        ("协助各个会员国", "zh-Hans", "协助各个 Member States"),
        # auto-translatables in place
        ("打算于2021年4月19日星期一上午8时(纽约时间)", "zh-Hans", "打算于 Monday, 19 April 2021, at 8 a.m. (New York time)"),
        ("在第47屆聯合國代表大會上", "zh-Hant", "在 forty-seventh session of the General Assembly 上"),
        # the wrong insertions of the old drafts are gone
        ("白俄羅斯以及聯合國", "zh-Hant", "Belarus 以及 United Nations"),
        ("除了协调解决国家间争端的努力外", "zh-Hans", "除了协调解决 inter-State disputes 的努力外"),
        ("由亞信主席國提名大使級外交官擔任", "zh-Hant", "由 CICA Chair 提名 ambassadorial level 外交官擔任"),
        ("Nhận lời mời của Ngoại trưởng Hoa Kỳ Antony Blinken", "vi", "Nhận lời mời của Secretary of State of the United States Antony Blinken"),
        ("制，以建立信任，避免", "zh-Hans", "制，以建立信任，避免"),
    ],
)
def test_copy_draft(source: str, lang: str, expected: str) -> None:
    assert draft(source, lang) == expected
