# Long Traditional Chinese literals are clearer unwrapped.
# ruff: noqa: E501
"""Traditional Chinese renderings of the source catalogue (``data/sources.csv``).

Used by ``scripts/build_datasets.py`` and ``scripts/build_gii_tables.py`` so that a rebuild of
``data/sources.csv`` reproduces the columns ``publisher_zh_hant``, ``title_zh_hant`` and
``licence_note_zh_hant`` (the zh-Hant reports show these instead of the English ones).

Rules followed: publishers are named by their usual Chinese name (世界銀行, 新華社, 南華早報, ...);
websites and brands without a Chinese name are described in Chinese (e.g. 「視覺資本家網站」,
「日本資訊網站」) since the URL in the catalogue identifies them; "copy"/"mirror" becomes
「轉載」/「鏡像」. Titles of Chinese originals are given in Traditional characters; English titles
are translated. Run this file to fill the three columns of an existing ``data/sources.csv``::

    .venv/bin/python scripts/sources_zh_hant.py [data/sources.csv]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

#: New catalogue columns, appended after the English ones.
ZH_COLUMNS = ("publisher_zh_hant", "title_zh_hant", "licence_note_zh_hant")

#: source_id -> (publisher_zh_hant, title_zh_hant)
SOURCES_ZH_HANT: dict[str, tuple[str, str]] = {
    "nbs-communique-2011-2023": (
        "國家統計局、科學技術部、財政部",
        "全國科技經費投入統計公報（2011至2023年）附表2：各地區研究與試驗發展經費情況",
    ),
    "nbs-yearbook-2010": (
        "國家統計局、科學技術部（中國科技統計年鑑）",
        "中國科技統計年鑑：2010年各地區研發經費內部支出（萬元）",
    ),
    "nbs-communique-2010": ("國家統計局、科學技術部、財政部", "2010年全國科技經費投入統計公報"),
    "nbs-communique-2024": (
        "國家統計局、科學技術部、財政部",
        "2024年全國科技經費投入統計公報（2025年9月29日）",
    ),
    "gd-communique-2024": ("廣東省統計局等（經廣州日報轉載）", "2024年廣東省科技經費投入統計公報"),
    "gd-gov-work-report-2025": (
        "廣東省人民政府（摘要）",
        "廣東省2025年政府工作報告（2025年1月15日）摘要",
    ),
    "gd-communique-2019-summary": (
        "中商產業研究院（廣東省統計局公報摘要）",
        "2019年廣東省科技經費投入公報：中商產業研究院整理的城市數字",
    ),
    "regional-innovation-report-2024": (
        "中國科技發展戰略研究小組、中國科學院大學（摘要）",
        "中國區域創新能力評價報告2024（摘要）",
    ),
    "caixin-2019-12-24": ("財新", "深圳研發經費報道（2019年12月24日）"),
    "chinadaily-sz-2025-12": ("中國日報", "深圳「十四五」規劃新聞發布會（2025年12月）"),
    "itiger-sz-2024": ("老虎證券新聞", "深圳2024年研發經費"),
    "szdaily-2022-11-18": (
        "深圳日報（引述深圳市統計局）",
        "深圳2021年研發經費（2022年11月18日）",
    ),
    "nfdaily-gd-communique-2023": (
        "南方日報（報道2023年廣東省科技經費投入公報）",
        "2023年廣東省科技經費投入公報：深圳數字",
    ),
    "chinadaily-gz-2021": (
        "中國日報（廣州分站）",
        "2021年廣州市主要科學技術活動狀況公報（2022年11月7日報道）",
    ),
    "gz-innovation-index-2024": (
        "廣州城市創新指數報告2024（經雙立網站轉載）",
        "廣州城市創新指數2024",
    ),
    "zs-communique-2022": ("中山市統計局", "2022年中山市科技經費投入公報（2023年12月5日）"),
    "csd-table-207": ("香港政府統計處", "表207：按研發機構類別劃分的本地研發總開支"),
    "hksar-pr-2019": (
        "香港特區政府新聞公報（鏡像）",
        "2019年香港本地研發總開支持續增加（2020年12月23日）",
    ),
    "hksar-pr-2020": ("香港特區政府新聞公報（鏡像）", "2020年創新活動統計數字（2021年12月23日）"),
    "hksar-pr-2022": ("香港特區政府新聞公報（鏡像）", "2022年創新活動統計數字（2023年12月21日）"),
    "xinhua-hk-2022": ("新華社", "香港2022年研發開支301.38億港元，佔本地生產總值1.07%"),
    "xinhua-hk-2018": ("新華社", "香港2018年研發開支首次公布（2019年12月23日）"),
    "hkcna-2024": ("香港中通社", "報道政府統計處〈2024年香港創新活動統計〉（2025年12月23日）"),
    "chinanews-hk-2024": ("中國新聞網", "報道香港2024年創新活動統計（2025年12月23日）"),
    "worldbank-wdi-gerd": (
        "世界銀行（數據來自聯合國教科文組織統計研究所）",
        "世界發展指標：研發開支（佔國內生產總值百分比）",
    ),
    "owid-research-spending": (
        "「用數據看世界」網站（匯出聯合國教科文組織及世界銀行同一指標）",
        "研發開支佔國內生產總值比率數據檔（至2021年）",
    ),
    "visualcapitalist-rd-2023": (
        "視覺資本家網站（經合組織主要科技指標數據）",
        "圖解各國研發投入（2023年或最新年份）",
    ),
    "stpi-2020-webbook": (
        "國家實驗研究院科技政策研究與資訊中心（台灣）",
        "108年度中央政府科技研發績效彙編第47頁（引用經合組織主要科技指標2020年第1期）",
    ),
    "taiwantoday-2014-07-16": (
        "《台灣今日》（經濟部引用經合組織主要科技指標）",
        "台灣研發強度（2014年7月16日）",
    ),
    "most-tw-2014-10-23": (
        "台灣科技部（現國家科學及技術委員會）",
        "科技部2014年10月23日全國研發經費新聞稿",
    ),
    "taipeitimes-2021-12-31": ("台北時報（引述科技部）", "台灣研發經費報道（2021年12月31日）"),
    "ctee-2022-01-13": ("工商時報", "台灣2020年研發經費報道（2022年1月13日）"),
    "tier-2018-handbook": ("台灣經濟研究院", "2018科學技術統計要覽"),
    "tier-2019-handbook": ("台灣經濟研究院", "2019科學技術統計要覽"),
    "taipeitimes-2024-11-26": ("台北時報（社論，引用國科會調查）", "社論（2024年11月26日）"),
    "gass-macao-paper": ("歐陽卿，廣東省社會科學院（轉載）", "澳門科技創新論文"),
    "macaudailytimes-2009": ("澳門每日時報", "澳門研發開支偏低（引述海托爾）"),
    "xinhua-2018-05-15": (
        "新華社（轉載）",
        "中央財政科技計劃資金向港澳機構開放（2018年5月15日）",
    ),
    "uwn-2018-05-17": ("大學世界新聞", "內地科研資金向香港大學開放（2018年5月17日）"),
    "scmp-3023599": ("南華早報", "香港科技大學獲逾4,500萬港元……（2019年8月）"),
    "globaltimes-2019-10-23": ("環球時報", "深圳科研資金可在港澳使用（2019年10月23日）"),
    "newsgov-2019-12-03": ("香港政府新聞網", "內地科研計劃向香港開放（2019年12月3日）"),
    "stdaily-2022-06-30": ("科技日報（轉載）", "廣東跨境科研資金報道（2022年6月30日）"),
    "chinanews-gd-crossborder-460m": (
        "中國新聞社，廣州11月6日電（記者王堅）（轉載）",
        "廣東省科技廳通報：跨境科研資金逾4.6億元人民幣",
    ),
    "amcham-scc-white-paper-2023": ("華南美國商會", "2023年中國營商環境白皮書第368頁"),
    "article-wwp-2025": (
        "香港文匯報（記者黃寶儀，廣州）",
        "「國之重器」＋跨境合作／灣區科創登頂全球榜單（專題，2025年秋）",
    ),
    "gii-wipo-blog-2025": (
        "世界知識產權組織",
        "重溫2025年全球創新指數全球百強創新集群排名（2025年10月2日網誌）",
    ),
    "gii-wipo-appendix-iv-2024": (
        "世界知識產權組織",
        "2024年全球創新指數附錄四：科技集群方法",
    ),
    "gii-wipo-report-2023-scribd": (
        "世界知識產權組織（文件分享網站副本）",
        "2023年全球創新指數（第16版）主報告（排名表第19頁）",
    ),
    "gii-xinhua-people-2025": (
        "新華社（經人民網轉載）",
        "「深圳—香港—廣州」集群首次登上世界知識產權組織排名榜首（2025年9月1日）",
    ),
    "gii-afp-spacedaily-2025": (
        "法新社（經太空新聞網站轉載）",
        "2025年全球創新指數創新集群排名報道（2025年9月1日）",
    ),
    "gii-afp-spacedaily-2024": (
        "法新社（經太空新聞網站轉載）",
        "聯合國：東京—橫濱仍是全球首位科技集群（2024年）",
    ),
    "gii-yicai-reportify-2025": (
        "第一財經（研報平台摘要）",
        "澳門—珠海集群上升兩位至第98位（2025年9月3日）",
    ),
    "gii-21cbh-reportify-2025": (
        "21世紀經濟報道（研報平台摘要）",
        "2025年全球創新指數各集群創投交易份額",
    ),
    "gii-zhuhai-macao-mirror-2025": (
        "珠海／澳門本地報道（鏡像）",
        "澳門—珠海創新集群連續第二次躋身全球百強",
    ),
    "gii-yicaiglobal-2025": (
        "第一財經（英文版）",
        "新增創投交易指標後「深圳—香港—廣州」登上世界知識產權組織科技集群榜首",
    ),
    "gii-rapmd-2025": (
        "新聞轉載網站",
        "2025年全球創新指數頂尖創新集群：第6至15位及方法",
    ),
    "gii-chinadailyasia-2025": ("中國日報亞太版", "2025年全球創新指數創新集群排名"),
    "gii-techjuice-2025": (
        "巴基斯坦科技新聞網站",
        "中國城市位居世界知識產權組織2025年創新指數前列",
    ),
    "gii-networkofcenters-2025": (
        "國際互聯網研究中心網絡",
        "2025年全球創新指數創新集群排名（地區報道）",
    ),
    "gii-kimbellard-blog-2025": (
        "金・貝拉德個人網誌",
        "2025年9月網誌文章（2025年全球創新指數集群）",
    ),
    "gii-jphome-2025": ("日本資訊網站", "2025年全球創新指數日本集群排名"),
    "gii-mondaq-cnipa-2025": (
        "法律資訊網站（轉載國家知識產權局公布）",
        "中國佔全球百強創新集群中的24個（2025年全球創新指數）",
    ),
    "gii-huacheng-2025": (
        "花城+（廣州日報）",
        "2025年全球創新指數各經濟體集群數目（2025年9月2日）",
    ),
    "gii-qqdbkk-blog-2025": ("中文網誌", "2025年全球創新指數北京專利合作條約申請份額"),
    "gii-ithome-top168-2024": (
        "IT之家（轉載）",
        "2024年全球創新指數前15位科技集群",
    ),
    "gii-meetinghk-2024": ("香港資訊網站", "2024年全球創新指數科技集群"),
    "gii-nanjing-gov-sxconnet-2024": (
        "南京市政府新聞（轉載）",
        "南京位列全球科技集群第9位（2024年全球創新指數）",
    ),
    "gii-wuhan-kjj-2024": (
        "武漢市科學技術局",
        "武漢位列全球科技集群第13位（2024年全球創新指數）",
    ),
    "gii-patentrenewal-2024": ("專利服務網站", "2024年全球前15位科技集群"),
    "gii-bairuiip-2024": ("知識產權服務網站", "2024年全球創新指數各經濟體集群數目"),
    "gii-visualcapitalist-2023": (
        "視覺資本家網站",
        "全球50大科技樞紐地圖（2023年全球創新指數）",
    ),
    "gii-visualcapitalist-mirror-2023": (
        "零對沖網站（視覺資本家網站內容的鏡像）",
        "全球50大科技樞紐地圖（鏡像）",
    ),
    "gii-techchannel-2023": ("科技新聞網站", "2023年全球創新指數科技集群排名"),
    "gii-hknewsnet-2023": (
        "香港新聞網",
        "2023年全球創新指數「深圳—香港—廣州」集群密度數字",
    ),
    "gii-chinadaily-2022": (
        "中國日報（投資中國）",
        "全球十大科技集群（2022年全球創新指數）",
    ),
    "gii-globaltimes-2022": ("環球時報", "2022年全球創新指數科技集群"),
    "gii-ccpitjs-2022": (
        "中國國際貿易促進委員會江蘇省分會",
        "南京升至全球科技集群第13位（2022年全球創新指數）",
    ),
    "gii-cnipa-2021": (
        "國家知識產權局",
        "2021年全球創新指數科技集群（2021年9月29日）",
    ),
    "gii-digitimes-2021": ("韓國數字時報", "2021年全球創新指數"),
    "gii-csptal-2020": ("科技人才網站", "2020年全球創新指數頂尖科技集群"),
    "gii-hnwzzzx-2020": (
        "中文新聞網站",
        "「深圳—香港—廣州」合併後保持第2位（2020年全球創新指數）",
    ),
    "gii-china14th-mirror-2020": (
        "新聞鏡像網站",
        "中國在全球創新指數排名第14位，是前30名中唯一的中等收入經濟體（2020年）",
    ),
    "gii-investnj-2020": ("南京投資促進網站", "南京躋身全球前30位（2020年全球創新指數）"),
    "gii-cjrb-cncn-2019": (
        "長江日報（轉載）",
        "2019年全球創新指數集群排名：「深圳—香港」第2、北京第4、上海第11",
    ),
    "gii-cri-2019": ("中國國際廣播電台（國際在線）", "2019年全球創新指數（2019年7月25日）"),
    "gii-olartemoure-2018": (
        "哥倫比亞知識產權律師事務所",
        "全球十大科技熱點（2018年全球創新指數）",
    ),
    "gii-allegropat-2017": (
        "專利服務網站",
        "東京—橫濱位居發明活動集群首位（2017年全球創新指數）",
    ),
    "gii-ft-joongang-5ch-2017": (
        "英國金融時報、韓國中央日報報道（經日本討論區轉貼）",
        "2017年全球創新指數集群專利合作條約申請數目（轉貼）",
    ),
    "gii-zeenews-2025": ("印度新聞網站", "2025年全球創新指數：排名最高的國家"),
    "gii-seco-kmu-2025": (
        "瑞士聯邦經濟事務秘書處（中小企業門戶網站）",
        "瑞士仍是全球最具創新力的國家（2025年）",
    ),
    "gii-wionews-2025": ("印度國際新聞頻道", "2025年全球創新指數：美國及中國位列前十"),
    "gii-kyodo-kobenp-2025": (
        "共同社（經神戶新聞轉載）",
        "2025年全球創新指數：日本第12位（2025年9月）",
    ),
    "gii-hongkongbs-2025": (
        "香港商業資訊網站",
        "2025年全球創新指數經濟體排名（2025年9月17日）",
    ),
    "gii-scmp-anyfans-2025": (
        "南華早報報道（經轉載網站）",
        "香港在全球創新指數上升3位至第15位",
    ),
    "gii-businessday-2024": ("尼日利亞商業日報", "2024年全球十大最具創新力國家"),
    "gii-cpahk-2024": ("香港會計專業網站", "2024年全球創新指數經濟體排名"),
    "gii-truescoop-2024": ("印度新聞網站", "全球最具創新力的國家（2024年）"),
    "gii-romanian-copy-2024": (
        "羅馬尼亞新聞（引用視覺資本家網站；網址不詳）",
        "2024年全球創新指數前20位經濟體得分",
    ),
    "gii-cpahk-2022": ("香港會計專業網站", "2022年全球創新指數經濟體排名"),
    "gii-sofokleous10-2022": ("希臘財經網站", "全球最具創新力的國家（資訊圖表，2022年）"),
    "gii-wef-2021": ("世界經濟論壇", "全球最具創新力的國家（2021年9月）"),
    "gii-technologistconfidant-2021": ("科技網誌", "全球最具創新力的國家（2021年）"),
    "gii-frontierafrica-2021": ("非洲新聞網站", "2021年全球創新強國"),
    "gii-ritholtz-2021": (
        "里索茲財經網誌（轉載視覺資本家網站）",
        "哪些國家最具創新力？（2020年全球創新指數）",
    ),
    "gii-chinadaily-2020": ("中國日報", "2020年全球創新指數經濟體排名（2020年11月19日）"),
    "gii-hkust-ebook-2020": (
        "香港科技大學電子書架",
        "引用2020年全球創新指數的刊物（香港第11位）",
    ),
    "gii-newser-2019": ("美國新聞摘要網站", "全球十大最具創新力國家及中國（2019年）"),
    "gii-fthours-insead-2019": (
        "歐洲工商管理學院新聞稿（經新聞網站轉載）",
        "全球創新水平提高但不平等仍然存在（2019年全球創新指數）",
    ),
    "gii-scidev-2017": ("科學與發展網絡", "創新排名揭示全球差距（2017年）"),
    "gii-wipo-wp34-copy": (
        "世界知識產權組織經濟研究工作論文第34號（伯格奎斯特、芬克、拉福；文件分享網站副本）",
        "識別及排列全球最大的發明活動集群",
    ),
    "gii-conicit-2018": (
        "哥斯達黎加國家科技研究委員會（引用2018年全球創新指數報告）",
        "第45期快訊：2018年全球創新指數",
    ),
    "gii-fxbaogao-2025": (
        "發現報告網站（世界知識產權組織2025年全球創新指數報告文本副本）",
        "2025年全球創新指數報告文本（提及附錄四表2）",
    ),
}

#: English licence_note -> Traditional Chinese.
LICENCE_NOTES_ZH_HANT: dict[str, str] = {
    "Official statistics; figures reproduced with attribution.": "官方統計數字，註明出處轉載。",
    "Copy/mirror of an official release; only the quoted figures are used, with attribution.": (
        "官方公布的轉載或鏡像，只採用所引數字並註明出處。"
    ),
    "News report; only the quoted figures are used, with attribution.": (
        "新聞報道，只採用所引數字並註明出處。"
    ),
    "CC BY 4.0 (World Bank open data terms).": "知識共享署名4.0國際許可協議（世界銀行開放數據條款）。",
    "CC BY 4.0 (Our World in Data).": "知識共享署名4.0國際許可協議（「用數據看世界」網站）。",
    "Quoted figures only, with attribution.": "只採用所引數字並註明出處。",
    "Newspaper article; only quoted figures are used, with attribution.": (
        "報章文章，只採用所引數字並註明出處。"
    ),
    "Figures (facts) cited with attribution; page text not reproduced": (
        "數字（事實）註明出處引用，不轉載網頁文字。"
    ),
}


def zh_fields(row: dict[str, str]) -> dict[str, str]:
    """Return the three zh-Hant columns for one catalogue row.

    Args:
        row: A ``sources.csv`` row (needs ``source_id`` and ``licence_note``).

    Raises:
        KeyError: When the source id or the licence note has no rendering here (add one).
    """
    publisher, title = SOURCES_ZH_HANT[row["source_id"]]
    licence = row.get("licence_note", "") or ""
    return {
        "publisher_zh_hant": publisher,
        "title_zh_hant": title,
        "licence_note_zh_hant": LICENCE_NOTES_ZH_HANT[licence] if licence else "",
    }


def add_zh_columns(columns: list[str]) -> list[str]:
    """Return ``columns`` followed by :data:`ZH_COLUMNS` (each once, at the end)."""
    return [c for c in columns if c not in ZH_COLUMNS] + list(ZH_COLUMNS)


def fill(path: Path) -> int:
    """Fill the zh-Hant columns of every row of the catalogue at ``path`` in place.

    Args:
        path: ``data/sources.csv``.

    Returns:
        Number of rows written.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = add_zh_columns(list(reader.fieldnames or []))
        rows = [r | zh_fields(r) for r in reader]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    target = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[1] / "data" / "sources.csv"
    )
    print(f"filled {fill(target)} rows of {target}")
