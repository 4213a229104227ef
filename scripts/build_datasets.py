"""Build the curated R&D and cross-border funding tables in data/ from the reference data.

Usage (from the project root)::

    .venv/bin/python scripts/build_datasets.py [REFERENCE_DIR] [--out data]

REFERENCE_DIR defaults to ``../shared/reference-data`` relative to the project root. The script
writes these tables (and their ``.meta.yml`` sidecars) into ``data/``:

    regions, rd_intensity, hk_gerd_by_sector, crossborder_funding, shared_facilities, sources

``data/sources.csv`` is shared with the GII/article tables (ids prefixed ``gii-`` / ``article-``):
the file is re-read right before it is written, and every row whose id this script does not
define is kept as it is.

Every row-level decision (which code a place gets, which source id a reference row maps to, which
values are left out and why, the notes attached to single rows) is an explicit table in this file:
read the constants below to see how a figure got into the data. Values are copied as the text the
reference gives (no float round-trip), so "3.60" stays "3.60". Consistency checks run before
anything is written; a failed check stops the script with the reason.

The curated CSVs are committed; tests never run this script against ../shared.
"""

# Long bilingual literals (Traditional Chinese counts double width) are clearer unwrapped.
# ruff: noqa: E501

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sources_zh_hant import ZH_COLUMNS, zh_fields  # noqa: E402  (scripts/sources_zh_hant.py)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = PROJECT_ROOT.parent / "shared" / "reference-data"

#: When the figures were compiled for this project from the reference compilation. The
#: compiler's own access dates for each web page are not recorded in the reference files.
DATE_ACCESSED = "2026-11-29"

#: Reference confidence tags -> the project's three levels.
CONFIDENCE = {
    "verified-in-source": "verified",
    "secondary-source": "secondary",
    "uncertain": "unverified",
}

WB_SOURCE_PREFIX = "World Bank WDI GB.XPD.RSDV.GD.ZS"

# --------------------------------------------------------------------------------------------
# Source catalogue (data/sources.csv). One row per distinct publication or table.
# --------------------------------------------------------------------------------------------
OFFICIAL = "Official statistics; figures reproduced with attribution."
NEWS = "News report; only the quoted figures are used, with attribution."
MIRROR = "Copy/mirror of an official release; only the quoted figures are used, with attribution."

SOURCES: list[dict[str, str]] = [
    # --- Mainland China: NBS / MOST / MOF communiques and the S&T yearbook
    {
        "source_id": "nbs-communique-2011-2023",
        "publisher": "National Bureau of Statistics of China (NBS), MOST, MOF",
        "title": "全国科技经费投入统计公报 2011-2023, 附表2 各地区研究与试验发展(R&D)经费情况",
        "url": "https://www.stats.gov.cn/sj/zxfb/202410/t20241002_1956810.html",
        "licence_note": OFFICIAL,
        "note": (
            "Read from the extracted copy github:huhuaping/techme@9ad60a190dec4a56953da9c478d42cd44"
            "c80762a (data/RDIntense.rda; data-raw/public-site/nbs-RD-bulletin/02-xls/raw-YYYY.xlsx;"
            " saved NBS pages 01-html/2018-2023.html; 2018 values from 01-html/2018.html because "
            "raw-2018.xlsx duplicates 2019). Official pages: 2021 http://www.stats.gov.cn/sj/zxfb/"
            "202302/t20230203_1901565.html; 2022 http://www.stats.gov.cn/sj/zxfb/202309/t20230918_"
            "1942920.html; 2023 (URL above)."
        ),
    },
    {
        "source_id": "nbs-yearbook-2010",
        "publisher": "NBS / MOST (China Statistical Yearbook on Science and Technology)",
        "title": "China S&T Statistical Yearbook: R&D internal expenditure by region, 2010 (万元)",
        "url": "https://github.com/huhuaping/techme/blob/9ad60a190dec4a56953da9c478d42cd44c80762a/"
        "data-raw/data-tidy/tech-yearbook/part01-over/03-spend-inner/01-activity/2010.xlsx",
        "licence_note": OFFICIAL,
        "note": (
            "Converted from 万元 to 亿元 in the reference compilation; national total 7,062.6 亿元 "
            "equals the 2010 communique."
        ),
    },
    {
        "source_id": "nbs-communique-2010",
        "publisher": "NBS, MOST, MOF",
        "title": "2010年全国科技经费投入统计公报",
        "url": "https://www.newton.com.tw/wiki/2010年全國科技經費投入統計公報/6043615",
        "licence_note": MIRROR,
        "note": "Copies also at jiyikeji.com/sci/kjxw6425.html. National 7,062.6 亿元, 1.76%.",
    },
    {
        "source_id": "nbs-communique-2024",
        "publisher": "NBS, MOST, MOF",
        "title": "2024年全国科技经费投入统计公报 (2025-09-29)",
        "url": "https://bbs.netbig.top/thread-83695-1-1.html",
        "licence_note": MIRROR,
        "note": (
            "Full-text copy; provincial figures as quoted by http://www.ilovedushubiji.com/post/"
            "47444.html; also donews.com/news/detail/8/6154001.html. The full 附表2 for 2024 was "
            "not found: only provinces named in the summary text are available."
        ),
    },
    {
        "source_id": "gd-communique-2024",
        "publisher": "Guangdong Provincial Bureau of Statistics et al. (via 广州日报)",
        "title": "2024年广东省科技经费投入统计公报",
        "url": "http://www.272t.com/dwq/2026/01-09/10548994.shtml",
        "licence_note": MIRROR,
        "note": (
            "广州日报 2026-01-09 report, copy. 5,099.61 亿元, 3.6% (+0.12 pp), enterprises "
            "4,488.04 亿元."
        ),
    },
    {
        "source_id": "gd-gov-work-report-2025",
        "publisher": "People's Government of Guangdong Province (summary)",
        "title": "广东省2025年政府工作报告 (15 Jan 2025), summary",
        "url": "http://m.wqcgm.cn/news/3595650.html",
        "licence_note": NEWS,
        "note": "Preliminary: R&D '约5100亿元', intensity '3.6%左右'; cited in notes only.",
    },
    {
        "source_id": "gd-communique-2019-summary",
        "publisher": "中商产业研究院 (summary of the Guangdong Provincial Bureau of Statistics release)",
        "title": "2019年广东省科技经费投入公报, city figures as summarised by 中商产业研究院",
        "url": "",
        "licence_note": NEWS,
        "note": (
            "Summary seen without a URL in the reference compilation; its provincial total "
            "3,098.49 亿元 matches NBS 3,098.5."
        ),
    },
    {
        "source_id": "regional-innovation-report-2024",
        "publisher": "中国科技发展战略研究小组 / 中国科学院大学 (summary)",
        "title": "中国区域创新能力评价报告2024 (summary)",
        "url": "http://tolevbizsystems.com/news/944a099045.html",
        "licence_note": NEWS,
        "note": "Guangdong first in regional innovation capability for 8 consecutive years.",
    },
    # --- Shenzhen / other GBA cities
    {
        "source_id": "caixin-2019-12-24",
        "publisher": "Caixin (财新)",
        "title": "Shenzhen R&D spending report, 2019-12-24",
        "url": "http://economy.caixin.com/2019-12-24/101497570.html",
        "licence_note": NEWS,
        "note": "Shenzhen 2018: '约1000亿元' (approximate), 4.2%.",
    },
    {
        "source_id": "chinadaily-sz-2025-12",
        "publisher": "China Daily",
        "title": "Shenzhen 14th Five-Year Plan press conference (Dec 2025)",
        "url": "https://ex.chinadaily.com.cn/exchange/partners/70/rss/channel/www/columns/y38633/"
        "stories/WS69453642a310d6866eb2f8f7.html",
        "licence_note": NEWS,
        "note": "Shenzhen R&D 151.08 bn yuan (2020) and 245.31 bn yuan, 6.67% (2024).",
    },
    {
        "source_id": "itiger-sz-2024",
        "publisher": "iTiger news",
        "title": "Shenzhen 2024 R&D spending",
        "url": "https://www.itiger.com/news/1122843661",
        "licence_note": NEWS,
        "note": "245.31 bn yuan; 48% of Guangdong.",
    },
    {
        "source_id": "szdaily-2022-11-18",
        "publisher": "Shenzhen Daily (eyeshenzhen.com), quoting Shenzhen Statistics Bureau",
        "title": "Shenzhen R&D spending 2021, 2022-11-18",
        "url": "http://www.eyeshenzhen.com/content/2022-11/18/content_25464748.htm",
        "licence_note": NEWS,
        "note": "168.2 bn yuan, 5.49%, +11.3%; 42% of Guangdong.",
    },
    {
        "source_id": "nfdaily-gd-communique-2023",
        "publisher": "南方日报 (reporting the 2023 Guangdong S&T funding communique)",
        "title": "2023年广东省科技经费投入公报: Shenzhen figures",
        "url": "http://xzfwuna.a899.cn/html/31f599632.html",
        "licence_note": MIRROR,
        "note": (
            "Mirror. Shenzhen 2023: 2,236.61 亿元, 6.46%, +18.9%. SCMP/Yahoo report the same "
            "(223.66 bn yuan, 'just under 6.5%')."
        ),
    },
    {
        "source_id": "chinadaily-gz-2021",
        "publisher": "China Daily (Guangzhou subsite)",
        "title": "2021年广州市主要科学技术活动状况公报, as reported 2022-11-07",
        "url": "http://subsites.chinadaily.com.cn/guangzhou/gddjp/2022-11/07/c_833341.htm",
        "licence_note": NEWS,
        "note": "Guangzhou 2021 R&D 881.72 亿元.",
    },
    {
        "source_id": "gz-innovation-index-2024",
        "publisher": "Guangzhou Urban Innovation Index report 2024 (via cnshuangli.cn)",
        "title": "Guangzhou Urban Innovation Index 2024",
        "url": "http://www.cnshuangli.cn/english/News/content/post_1287580.html",
        "licence_note": NEWS,
        "note": "Guangzhou 2023 R&D intensity 3.44%; the R&D amount is not stated.",
    },
    {
        "source_id": "zs-communique-2022",
        "publisher": "中山市统计局 (Zhongshan Statistics Bureau)",
        "title": "2022年中山市科技经费投入公报 (2023-12-05)",
        "url": "http://amzrylc.com/zwgk/sjfb/tjgb/content/post_2354807.html",
        "licence_note": MIRROR,
        "note": "Mirror. 100.66 亿元, 2.8%.",
    },
    # --- Hong Kong
    {
        "source_id": "csd-table-207",
        "publisher": "Census and Statistics Department, HKSAR (C&SD)",
        "title": "Table 207: Gross domestic expenditure on R&D by performing sector",
        "url": "https://www.censtatd.gov.hk/hkstat/sub/sp120.jsp?tableID=207&ID=0&productType=8",
        "licence_note": OFFICIAL,
        "note": "2015-2019 with sector split and notes (2018 method change, 2017 recompiled).",
    },
    {
        "source_id": "hksar-pr-2019",
        "publisher": "HKSAR Government press release (mirror)",
        "title": "Continued increase in Hong Kong's gross expenditure on R&D in 2019 (2020-12-23)",
        "url": "http://government-world.com/continued-increase-in-hong-kongs-gross-expenditure-"
        "on-research-and-development-in-2019",
        "licence_note": MIRROR,
        "note": "HK$26,333 m; 0.86% -> 0.92%.",
    },
    {
        "source_id": "hksar-pr-2020",
        "publisher": "HKSAR Government press release (mirror)",
        "title": "Statistics on innovation activities for 2020 (2021-12-23)",
        "url": "http://government-world.com/author/hksar-gov/page/4773/?print=print-search",
        "licence_note": MIRROR,
        "note": "Verbatim mirror of the official press release.",
    },
    {
        "source_id": "hksar-pr-2022",
        "publisher": "HKSAR Government press release (mirror)",
        "title": "Statistics on innovation activities for 2022 (2023-12-21)",
        "url": "http://government-world.com/statistics-on-innovation-activities-for-2022",
        "licence_note": MIRROR,
        "note": "Includes the restated 2021 total (HK$27,827 m).",
    },
    {
        "source_id": "xinhua-hk-2022",
        "publisher": "Xinhua (新华社)",
        "title": "Hong Kong 2022 R&D expenditure 301.38亿港元, 1.07%",
        "url": "https://esesx.com/n1/2023/1222/c42272-40144785.html",
        "licence_note": NEWS,
        "note": "Cross-check of the 2022 press release.",
    },
    {
        "source_id": "xinhua-hk-2018",
        "publisher": "Xinhua (新华社)",
        "title": "Hong Kong 2018 R&D expenditure, first release (2019-12-23)",
        "url": "http://tc.xfafinance.com/html/Economies/Regional/2019/326789.shtml",
        "licence_note": NEWS,
        "note": "First release HK$24,497 m (later revised to 24,478.4); cited in notes only.",
    },
    {
        "source_id": "hkcna-2024",
        "publisher": "香港中通社 (Hong Kong China News Agency)",
        "title": "Report on C&SD 'Hong Kong Innovation Activities Statistics 2024' (2025-12-23)",
        "url": "https://www.hkcna.hk/docDetail.jsp?channel=5523&id=101198881",
        "licence_note": NEWS,
        "note": "GERD HK$35,772 m, 1.13% of GDP, sector split; R&D personnel 47,210.",
    },
    {
        "source_id": "chinanews-hk-2024",
        "publisher": "中新网 (China News Service)",
        "title": "Report on Hong Kong 2024 innovation statistics (2025-12-23)",
        "url": "http://blog.lgjyuntun.com/article/5900954.shtml",
        "licence_note": NEWS,
        "note": "Mirror. Gives 2023 = 1.11% of GDP and 2024 growth +8.4%.",
    },
    # --- World Bank and other international
    {
        "source_id": "worldbank-wdi-gerd",
        "publisher": "World Bank (data from UNESCO Institute for Statistics)",
        "title": "World Development Indicators: Research and development expenditure (% of GDP), "
        "GB.XPD.RSDV.GD.ZS",
        "url": "https://data.worldbank.org/indicator/GB.XPD.RSDV.GD.ZS",
        "licence_note": "CC BY 4.0 (World Bank open data terms).",
        "note": (
            "Vintage ~1 July 2025: API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_496977.csv as saved in "
            "github:alecchristie888/study_design_time@537dae23ab2a2747d7cbd304fc149f2f7f21f39b. "
            "scripts/refresh_worldbank.py refreshes from the API."
        ),
    },
    {
        "source_id": "owid-research-spending",
        "publisher": "Our World in Data (grapher export of the same UNESCO/World Bank indicator)",
        "title": "research-spending-gdp.csv (to 2021)",
        "url": "https://github.com/yukifuruse1217/pub_fee/blob/15705a3b8cf94e598f1f616cb9076bbef"
        "2468315/research-spending-gdp.csv",
        "licence_note": "CC BY 4.0 (Our World in Data).",
        "note": "Older vintage, used only as a cross-check (e.g. Israel 2020 5.71 vs 5.80).",
    },
    {
        "source_id": "visualcapitalist-rd-2023",
        "publisher": "Visual Capitalist (OECD MSTI data)",
        "title": "Visualizing R&D Investment by Country (2023 or latest)",
        "url": "https://www.visualcapitalist.com/rd-investment-by-country/",
        "licence_note": NEWS,
        "note": "Values rounded to one decimal; OECD MSTI-based.",
    },
    {
        "source_id": "stpi-2020-webbook",
        "publisher": "STPI (Taiwan)",
        "title": "108年度中央政府科技研發績效彙編, p.47 (citing OECD MSTI 2020/1)",
        "url": "http://ep2go.net/unofficial/webbook/2020stpi/47",
        "licence_note": NEWS,
        "note": "Taiwan 2009: 2.83%.",
    },
    {
        "source_id": "taiwantoday-2014-07-16",
        "publisher": "Taiwan Today (MOEA citing OECD MSTI)",
        "title": "Taiwan R&D intensity, 2014-07-16",
        "url": "https://taiwantoday.tw/news_amp.php?post=12048&unit=6",
        "licence_note": NEWS,
        "note": "Rounded values: 2010 2.9%, 2011 3.0%, 2012 3.1%.",
    },
    {
        "source_id": "most-tw-2014-10-23",
        "publisher": "Ministry of Science and Technology, Taiwan (MOST; now NSTC)",
        "title": "MOST release 2014-10-23 on national R&D expenditure",
        "url": "https://www.nstc.gov.tw/folksonomy/detail/6748aa18-5f32-42b1-bbcc-2c8a75070b1d?l=ch",
        "licence_note": OFFICIAL,
        "note": "2012 3.06%; 2013 3.12% (NT$454.9 bn).",
    },
    {
        "source_id": "taipeitimes-2021-12-31",
        "publisher": "Taipei Times (quoting MOST)",
        "title": "Taiwan R&D spending report, 2021-12-31",
        "url": "https://www.taipeitimes.com/News/taiwan/archives/2021/12/31/2003770490",
        "licence_note": NEWS,
        "note": "2016 3.09%; 2020 3.63% (NT$718.8 bn).",
    },
    {
        "source_id": "ctee-2022-01-13",
        "publisher": "工商時報 (Commercial Times)",
        "title": "Taiwan 2020 R&D spending report, 2022-01-13",
        "url": "",
        "licence_note": NEWS,
        "note": "Cross-check of 2020 3.63%; URL not recorded in the reference compilation.",
    },
    {
        "source_id": "tier-2018-handbook",
        "publisher": "Taiwan Institute of Economic Research (TIER)",
        "title": "2018 科學技術統計要覽",
        "url": "http://publication.tier.org.tw/detailcon2.aspx?docid=1120181231128",
        "licence_note": OFFICIAL,
        "note": "Taiwan 2017 3.30% (pre-2020 GDP vintage).",
    },
    {
        "source_id": "tier-2019-handbook",
        "publisher": "Taiwan Institute of Economic Research (TIER)",
        "title": "2019 科學技術統計要覽",
        "url": "https://publication.tier.org.tw/detailcon2.aspx?docid=1120191231140",
        "licence_note": OFFICIAL,
        "note": "Taiwan 2018 3.36% (MOST 2019-11-05 release gave 3.46%).",
    },
    {
        "source_id": "taipeitimes-2024-11-26",
        "publisher": "Taipei Times (editorial, citing the NSTC survey)",
        "title": "Editorial, 2024-11-26",
        "url": "https://www.taipeitimes.com/News/editorials/archives/2024/11/26/2003827482",
        "licence_note": NEWS,
        "note": "Taiwan 2023 3.98% (NT$937.3 bn), '+0.02 pp'.",
    },
    # --- Macao
    {
        "source_id": "gass-macao-paper",
        "publisher": "欧阳卿, Guangdong Academy of Social Sciences (copy)",
        "title": "Paper on Macao's science, technology and innovation",
        "url": "http://m.handmsg.com/page/2021/0705/14078350.shtml",
        "licence_note": NEWS,
        "note": (
            "Macao GERD/GDP 0.06% (2001), 0.10% (2008), 0.23% (2016, peak), 0.20% (2018), "
            "consistent with the World Bank; FDCT funded 1,076 projects / MOP 655 m 2004-2019. "
            "Cross-check only."
        ),
    },
    {
        "source_id": "macaudailytimes-2009",
        "publisher": "Macau Daily Times",
        "title": "Macau spends little on R&D (quoting Manuel Heitor)",
        "url": "http://www.macaudailytimes.com.mo/macau/33945-Macau-spends-little.html",
        "licence_note": NEWS,
        "note": (
            "Claims Macao R&D = 0.2% of GDP (2009); conflicts with World Bank 0.054%; excluded "
            "from the data, cited in caveats only."
        ),
    },
    # --- Cross-border funding
    {
        "source_id": "xinhua-2018-05-15",
        "publisher": "Xinhua (新华社), copy",
        "title": "Central fiscal S&T funds opened to Hong Kong and Macao institutions (2018-05-15)",
        "url": "http://www.djt5.com/2018-05/16/content_21047653.htm",
        "licence_note": NEWS,
        "note": "First batch about RMB 22 m to 16 Partner State Key Labs + 6 CNERC HK branches.",
    },
    {
        "source_id": "uwn-2018-05-17",
        "publisher": "University World News",
        "title": "Mainland research funding opened to Hong Kong universities (2018-05-17)",
        "url": "https://www.universityworldnews.com/post.php?story=20180517171220809",
        "licence_note": NEWS,
        "note": "Same event as xinhua-2018-05-15.",
    },
    {
        "source_id": "scmp-3023599",
        "publisher": "South China Morning Post (SCMP)",
        "title": "Hong Kong University of Science and Technology nets HK$45 million ... (Aug 2019)",
        "url": "https://www.scmp.com/news/hong-kong/politics/article/3023599/",
        "licence_note": NEWS,
        "note": (
            "RMB 38 m (HK$42.27 m) from the Southern Marine Science and Engineering Guangdong "
            "Laboratory (Guangzhou) to Prof. Qian Peiyuan/HKUST, part of RMB 114 m over 3 years; "
            "> HK$45 m in total to HKUST; a July 2019 provincial grant to Patrick Yue's team."
        ),
    },
    {
        "source_id": "globaltimes-2019-10-23",
        "publisher": "Global Times",
        "title": "Shenzhen R&D funds can be used in Hong Kong and Macao (2019-10-23)",
        "url": "http://www.globaltimes.cn/content/1167757.shtml",
        "licence_note": NEWS,
        "note": "Shenzhen Finance Bureau rules; no amount.",
    },
    {
        "source_id": "newsgov-2019-12-03",
        "publisher": "news.gov.hk (HKSAR Government)",
        "title": "Mainland R&D programmes opened to Hong Kong (2019-12-03)",
        "url": "http://www.news.gov.hk/eng/2019/12/20191203/20191203_160344_407.html",
        "licence_note": OFFICIAL,
        "note": "'Some approved funds have been successfully remitted across the boundary'.",
    },
    {
        "source_id": "stdaily-2022-06-30",
        "publisher": "科技日报 (Science and Technology Daily), copy",
        "title": "Guangdong cross-border research funding report (2022-06-30)",
        "url": "http://cnfuhuaqi.com/news/show-16261.aspx",
        "licence_note": NEWS,
        "note": "'全省科研经费跨境拨付已超3亿元'; CityU Category C example (2021-01).",
    },
    {
        "source_id": "chinanews-gd-crossborder-460m",
        "publisher": "中新社 (China News Service), 广州11月6日电 (王坚), copy",
        "title": "Guangdong S&T Department briefing: cross-border research funds > RMB 460 m",
        "url": "http://l4.net.cn/news/gCBcaV967542.html",
        "licence_note": NEWS,
        "note": (
            "Dateline '11月6日'; the year is not visible in the copy (likely 2023; party "
            "secretary 龚国平 named). 31 joint labs; 6 HK/Macao universities, 9 new R&D "
            "institutions; '1+1+1' joint funding (three pairs)."
        ),
    },
    # --- Targets
    {
        "source_id": "amcham-scc-white-paper-2023",
        "publisher": "American Chamber of Commerce in South China (AmCham South China)",
        "title": "2023 White Paper on the Business Environment in China, p.368",
        "url": "",
        "licence_note": "Quoted figures only, with attribution.",
        "note": (
            "Summarises Guangdong's 14th Five-Year Plan for S&T innovation (Sept 2021): R&D "
            "growth >= 10%/yr, R&D/GDP 3.5% by 2025, basic research 10% of R&D. URL not recorded "
            "in the reference compilation."
        ),
    },
    # --- The article
    {
        "source_id": "article-wwp-2025",
        "publisher": "Hong Kong Wen Wei Po (香港文匯報), 黃寶儀, Guangzhou",
        "title": "「國之重器」＋跨境合作 / 灣區科創登頂全球榜單 (feature, autumn 2025)",
        "url": "",
        "licence_note": "Newspaper article; only quoted figures are used, with attribution.",
        "note": (
            "The reference article of the project (../shared/brief/source-article.zh-Hant.txt); "
            "claims C1-C23 listed in ../shared/brief/article-figures.md."
        ),
    },
]

# --------------------------------------------------------------------------------------------
# Regions codelist (data/regions.csv)
# --------------------------------------------------------------------------------------------
#: Mainland provinces: (code, reference name in simplified Chinese, English, Traditional Chinese).
#: Codes follow ISO 3166-2:CN except Guizhou: ISO's GZ is Guangzhou in this project, so Guizhou
#: is QN (from its one-character abbreviation 黔, Qián).
PROVINCES: list[tuple[str, str, str, str]] = [
    ("BJ", "北京", "Beijing", "北京"),
    ("TJ", "天津", "Tianjin", "天津"),
    ("HE", "河北", "Hebei", "河北"),
    ("SX", "山西", "Shanxi", "山西"),
    ("NM", "内蒙古", "Inner Mongolia", "內蒙古"),
    ("LN", "辽宁", "Liaoning", "遼寧"),
    ("JL", "吉林", "Jilin", "吉林"),
    ("HL", "黑龙江", "Heilongjiang", "黑龍江"),
    ("SH", "上海", "Shanghai", "上海"),
    ("JS", "江苏", "Jiangsu", "江蘇"),
    ("ZJ", "浙江", "Zhejiang", "浙江"),
    ("AH", "安徽", "Anhui", "安徽"),
    ("FJ", "福建", "Fujian", "福建"),
    ("JX", "江西", "Jiangxi", "江西"),
    ("SD", "山东", "Shandong", "山東"),
    ("HA", "河南", "Henan", "河南"),
    ("HB", "湖北", "Hubei", "湖北"),
    ("HN", "湖南", "Hunan", "湖南"),
    ("GD", "广东", "Guangdong", "廣東"),
    ("GX", "广西", "Guangxi", "廣西"),
    ("HI", "海南", "Hainan", "海南"),
    ("CQ", "重庆", "Chongqing", "重慶"),
    ("SC", "四川", "Sichuan", "四川"),
    ("QN", "贵州", "Guizhou", "貴州"),
    ("YN", "云南", "Yunnan", "雲南"),
    ("XZ", "西藏", "Tibet", "西藏"),
    ("SN", "陕西", "Shaanxi", "陝西"),
    ("GS", "甘肃", "Gansu", "甘肅"),
    ("QH", "青海", "Qinghai", "青海"),
    ("NX", "宁夏", "Ningxia", "寧夏"),
    ("XJ", "新疆", "Xinjiang", "新疆"),
]
NATIONAL_CN = "全国"
PROVINCE_CODE = {cn: code for code, cn, _, _ in PROVINCES} | {NATIONAL_CN: "CN"}

#: The nine mainland GBA cities: (code, reference English name, English, Traditional Chinese).
GBA_CITIES: list[tuple[str, str, str, str]] = [
    ("SZ", "Shenzhen", "Shenzhen", "深圳"),
    ("GZ", "Guangzhou", "Guangzhou", "廣州"),
    ("DG", "Dongguan", "Dongguan", "東莞"),
    ("FS", "Foshan", "Foshan", "佛山"),
    ("ZH", "Zhuhai", "Zhuhai", "珠海"),
    ("HZ", "Huizhou", "Huizhou", "惠州"),
    ("ZS", "Zhongshan", "Zhongshan", "中山"),
    ("JM", "Jiangmen", "Jiangmen", "江門"),
    ("ZQ", "Zhaoqing", "Zhaoqing", "肇慶"),
]
CITY_CODE = {ref: code for code, ref, _, _ in GBA_CITIES} | {
    "Pearl River Delta (9 mainland GBA cities)": "PRD9"
}

#: International economies and aggregates: ISO3 (World Bank codes for OED/WLD).
ECONOMIES: list[tuple[str, str, str, str]] = [
    # (code, region_type, English, Traditional Chinese)
    ("KOR", "economy", "Korea", "韓國"),
    ("ISR", "economy", "Israel", "以色列"),
    ("JPN", "economy", "Japan", "日本"),
    ("USA", "economy", "United States", "美國"),
    ("DEU", "economy", "Germany", "德國"),
    ("GBR", "economy", "United Kingdom", "英國"),
    ("SGP", "economy", "Singapore", "新加坡"),
    ("CHE", "economy", "Switzerland", "瑞士"),
    ("TWN", "economy", "Taiwan", "台灣"),
    ("FRA", "economy", "France", "法國"),
    ("SWE", "economy", "Sweden", "瑞典"),
    ("OED", "aggregate", "OECD members", "經合組織"),
    ("WLD", "aggregate", "World", "全球"),
]

#: ISO3 codes of the World Bank file that map to the project's own codes in rd_intensity.
ISO3_TO_REGION = {"CHN": "CN", "HKG": "HK", "MAC": "MO"}

# --------------------------------------------------------------------------------------------
# rd_intensity: explicit row-level decisions
# --------------------------------------------------------------------------------------------
#: Reference "source" text prefix (provinces/national files) -> source_id, checked for every row.
PROVINCE_SOURCE_RULES: list[tuple[int, int, str, str]] = [
    # (first year, last year, required text in the reference source, source_id)
    (
        2010,
        2010,
        "tech-yearbook/part01-over/03-spend-inner/01-activity/2010.xlsx",
        "nbs-yearbook-2010",
    ),
    (2011, 2023, "NBS 全国科技经费投入统计公报", "nbs-communique-2011-2023"),
    (2024, 2024, "", "nbs-communique-2024"),
]

#: Extra notes attached to single NBS rows (region_code, year) -> note.
NBS_ROW_NOTES: dict[tuple[str, int], str] = {
    ("CN", 2010): (
        "R&D from the 2010 S&T yearbook table (equals the 2010 communique's 7,062.6); intensity "
        "from the 2010 communique."
    ),
    ("CN", 2013): "First-release intensity; World Bank gives 1.998 (GDP-revision vintage).",
    ("CN", 2022): "First-release intensity; World Bank gives 2.555 (GDP-revision vintage).",
    ("CN", 2023): (
        "NBS: ranks 12th globally; NBS quotes an OECD average of 2.73% (中新社 2024-10-02), not "
        "included as data."
    ),
    ("GD", 2024): (
        "NBS 2024 communique as quoted. Guangdong's own communique gives 5,099.61 / 3.6 (series "
        "provincial_release). The article's 'over 5,100 亿元' (C4) is corrected by this: "
        "5,099.6 < 5,100. Guangdong's 2025 government work report said '约5100亿元' (preliminary)."
    ),
    ("SD", 2024): "Intensity not given in the communique summary (below the national 2.69%).",
}

#: Guangdong's provincial communique for 2024 (series provincial_release).
GD_PROVINCIAL_2024 = {
    "rd_expenditure_rmb_100m": "5099.61",
    "rd_intensity_pct_gdp": "3.6",
    "note": (
        "Guangdong 2024 S&T funding communique as reported by 广州日报 (2026-01-09). It calls 3.6% "
        "'+0.12 pp' on 2023, which implies a revised 2023 intensity of about 3.48% (after the 5th "
        "economic census GDP revision) against the 3.54% first published; that implied value is "
        "not included. Enterprises: 4,488.04 亿元."
    ),
}

#: GBA city rows: (reference city, year) -> decision. "source_id" maps the reference source;
#: "drop" lists values left out (with the reason in "note"); "omit_row" drops the whole row.
CITY_DECISIONS: dict[tuple[str, int], dict[str, object]] = {
    ("Shenzhen", 2018): {
        "source_id": "caixin-2019-12-24",
        "confidence": "unverified",
        "note": (
            "Approximate: the source says '约1000亿元' (about RMB 100 bn), so 1000 is a rounded "
            "figure, not a statistic; confidence lowered to unverified for that reason. "
            "Intensity 4.2% from the same report."
        ),
    },
    ("Shenzhen", 2019): {"source_id": "gd-communique-2019-summary"},
    ("Shenzhen", 2020): {
        "source_id": "chinadaily-sz-2025-12",
        "drop": ["rd_intensity_pct_gdp"],
        "note": (
            "R&D 151.08 bn yuan (China Daily). The reference's intensity 5.46% is derived "
            "(2021's 5.49% minus '+0.03 pp') and is left out."
        ),
    },
    ("Shenzhen", 2021): {
        "source_id": "szdaily-2022-11-18",
        "note": "168.2 bn yuan, +11.3%; 42% of Guangdong (1682/4002.2 = 42.0%, checked).",
    },
    ("Shenzhen", 2022): {
        "omit_row": True,
        "note": (
            "No direct source: the reference's ~1,881 亿元 is implied (2023 level / 1.189) and "
            "sz.gov.cn's 5.49% repeats the 2021 value; both left out."
        ),
    },
    ("Shenzhen", 2023): {
        "source_id": "nfdaily-gd-communique-2023",
        "note": (
            "+18.9%; 46.6% of Guangdong and 6.7% of China (both checked against NBS 2023). "
            "SCMP: 223.66 bn yuan, just under 6.5%."
        ),
    },
    ("Shenzhen", 2024): {
        "source_id": "chinadaily-sz-2025-12;itiger-sz-2024",
        "note": "245.31 bn yuan; 48% of Guangdong (2453.1/5099.6 = 48.1%, checked).",
    },
    ("Guangzhou", 2019): {
        "source_id": "gd-communique-2019-summary",
        "note": "Intensity not stated (below the provincial 2.88%).",
    },
    ("Guangzhou", 2021): {
        "source_id": "chinadaily-gz-2021",
        "note": "Intensity not stated; Huangpu district 6.14%.",
    },
    ("Guangzhou", 2023): {
        "source_id": "gz-innovation-index-2024",
        "note": (
            "R&D amount not stated; the reference's ~1,043 亿元 is derived (basic research "
            "13.52 bn = 12.96% of R&D) and is left out."
        ),
    },
    ("Dongguan", 2019): {"source_id": "gd-communique-2019-summary"},
    ("Foshan", 2019): {
        "source_id": "gd-communique-2019-summary",
        "note": "Intensity not stated (below the provincial 2.88%).",
    },
    ("Zhuhai", 2019): {"source_id": "gd-communique-2019-summary"},
    ("Huizhou", 2019): {
        "source_id": "gd-communique-2019-summary",
        "note": "Intensity not stated. Value kept with the three decimals the summary gives.",
    },
    ("Zhongshan", 2022): {"source_id": "zs-communique-2022", "note": "+24.1%; +0.5 pp."},
    ("Pearl River Delta (9 mainland GBA cities)", 2019): {
        "source_id": "gd-communique-2019-summary",
        "note": "95.6% of Guangdong (2962.36/3098.5 = 95.6%, checked).",
    },
}

#: Hong Kong C&SD ratio rows: year -> (source_id, note).
HK_CSD_SOURCES: dict[int, tuple[str, str]] = {
    2015: ("csd-table-207", ""),
    2016: ("csd-table-207", ""),
    2017: (
        "csd-table-207",
        "Old basis. C&SD recompiled 2017 GERD on the 2018+ basis as HK$22,213 m (about 0.835% of "
        "GDP, the World Bank's 2017 value).",
    ),
    2018: (
        "csd-table-207",
        "Series break: from 2018 C&SD includes the implicit user cost of R&D facilities; not "
        "comparable with 2017 and earlier. Ratio subject to revision.",
    ),
    2019: ("csd-table-207;hksar-pr-2019", "Ratio subject to revision."),
    2020: ("hksar-pr-2020", "Verbatim mirror of the official press release."),
    2022: ("hksar-pr-2022;xinhua-hk-2022", ""),
    2023: (
        "chinanews-hk-2024",
        "Ratio as reported with the 2024 statistics; HK$ amount for 2023 not found.",
    ),
    2024: ("hkcna-2024", ""),
}

#: Notes on single World Bank rows, by (region_code, year).
WB_ROW_NOTES: dict[tuple[str, int], str] = {
    ("HK", 2017): (
        "Series break in the World Bank series: 0.835 matches C&SD's 2017 GERD recompiled on the "
        "2018+ basis (HK$22,213 m incl. implicit user cost of R&D facilities), not the published "
        "0.80 (HK$21,280.4 m). 2017+ World Bank values are on the new basis, 2016 and earlier on "
        "the old."
    ),
    ("HK", 2018): "Same basis as 2017 in this series (see the 2017 row); C&SD series breaks here.",
    ("GBR", 2014): (
        "Series break: UK values from 2014 reflect the ONS 2022 methodology revision (jump from "
        "~1.6% to ~2.3%); not comparable with 2013 and earlier."
    ),
    ("MO", 2009): (
        "A 2009 '0.2% of GDP' claim (Macau Daily Times, quoting Manuel Heitor) conflicts with this "
        "value and is excluded."
    ),
    ("MO", 2001): "A GASS paper gives 0.06% (consistent).",
    ("MO", 2008): "A GASS paper gives 0.10% (consistent).",
    ("MO", 2016): "A GASS paper gives 0.23%, its peak year (consistent).",
    ("MO", 2018): "A GASS paper gives 0.20% (consistent).",
    ("ISR", 2020): "Older OWID vintage of the same indicator gives 5.71.",
}

#: Series breaks (region_code, year, series): the first year of a new method.
SERIES_BREAKS: set[tuple[str, int, str]] = {
    ("HK", 2018, "csd"),
    ("HK", 2017, "worldbank_wdi"),
    ("GBR", 2014, "worldbank_wdi"),
}

#: Taiwan rows of rd_international.csv: year -> decision (series national_release).
TAIWAN_DECISIONS: dict[int, dict[str, str]] = {
    2009: {"source_id": "stpi-2020-webbook", "note": "STPI citing OECD MSTI 2020/1."},
    2010: {"source_id": "taiwantoday-2014-07-16", "note": "Rounded (MOEA citing OECD MSTI)."},
    2011: {
        "source_id": "taiwantoday-2014-07-16",
        "note": "Rounded (MOEA citing OECD MSTI); a JST report gives 2.91 (vintage differences).",
    },
    2012: {"source_id": "most-tw-2014-10-23", "note": "Taiwan Today (OECD) gives 3.1."},
    2013: {
        "source_id": "most-tw-2014-10-23",
        "note": "MOST first release (NT$454.9 bn); TIER 2018 handbook implies 3.02 after GDP "
        "revision.",
    },
    2016: {
        "source_id": "taipeitimes-2021-12-31",
        "note": "TIER 2018 handbook implies 3.17 (older GDP vintage).",
    },
    2017: {"source_id": "tier-2018-handbook", "note": "Pre-2020 GDP vintage."},
    2018: {
        "source_id": "tier-2019-handbook",
        "confidence": "unverified",
        "note": "Vintage conflict: MOST's 2019-11-05 release gave 3.46% (NT$616.0 bn); TIER's "
        "3.36 kept as in the reference, precise value unverified.",
    },
    2020: {"source_id": "taipeitimes-2021-12-31;ctee-2022-01-13", "note": "NT$718.8 bn."},
    2022: {
        "omit_row": "yes",
        "note": "Reference value 3.96 is derived (2023's 3.98 minus '+0.02 pp'); left out.",
    },
    2023: {
        "source_id": "taipeitimes-2024-11-26",
        "note": "NSTC survey, NT$937.3 bn; OECD-rounded (Visual Capitalist) 4.0.",
    },
}

#: 2023 OECD-MSTI rounded values not present as their own reference rows (value from a note).
EXTRA_OECD_ROUNDED = {
    "TWN": ("4.0", "From the note of the reference's Taiwan 2023 row (Visual Capitalist, OECD)."),
}

#: Reference rows of rd_international.csv that duplicate NBS rows already in the table.
INTERNATIONAL_DUPLICATES = {("CHN", "2023", "2.65"), ("CHN", "2024", "2.69")}

# --------------------------------------------------------------------------------------------
# hk_gerd_by_sector
# --------------------------------------------------------------------------------------------
HK_SECTOR_COLUMNS = {
    "total": "gerd_hkd_million",
    "business": "business_hkd_million",
    "higher_education": "higher_education_hkd_million",
    "government": "government_hkd_million",
}
HK_SECTOR_NOTES: dict[tuple[int, str], str] = {
    (2017, "total"): (
        "Old basis. C&SD recompiled 2017 on the 2018+ basis (incl. implicit user cost of R&D "
        "facilities) = HK$22,213 m; not included as a row (one total per year)."
    ),
    (2018, "total"): (
        "Revised figure; first release was HK$24,497 m (Xinhua 2019-12-23). Series break: 2018+ "
        "includes the implicit user cost of R&D facilities."
    ),
    (2019, "total"): "Press release rounds to HK$26,333 m; sectors sum to 26,332.7 (rounding).",
    (2020, "total"): "Sectors sum to 26,553 (rounding in the press release).",
    (2021, "total"): "2021 as restated in the 2022 release; sector split not found.",
    (2022, "total"): "Sectors sum to 30,139 (rounding in the press release).",
    (2024, "total"): "+8.4% on 2023 (中新网); the 2023 amount itself was not found.",
}
HK_SECTOR_SOURCES: dict[int, str] = {
    2015: "csd-table-207",
    2016: "csd-table-207",
    2017: "csd-table-207",
    2018: "csd-table-207",
    2019: "csd-table-207;hksar-pr-2019",
    2020: "hksar-pr-2020",
    2021: "hksar-pr-2022",
    2022: "hksar-pr-2022;xinhua-hk-2022",
    2024: "hkcna-2024",
}

# --------------------------------------------------------------------------------------------
# crossborder_funding: every event written out (the reference file is checked against it)
# --------------------------------------------------------------------------------------------
GD_GOV = "Guangdong provincial government (S&T Department)"
CROSSBORDER_EVENTS: list[dict[str, str]] = [
    {
        "date": "2018-05",
        "date_precision": "month",
        "event_type": "policy",
        "payer": "Central government (MOST, MOF)",
        "recipient": "Hong Kong and Macao universities and research institutes",
        "title_en": "Central S&T funds opened to Hong Kong and Macao",
        "title_zh_hant": "中央財政科技計劃向港澳開放",
        "description_en": (
            "MOST and MOF rules let Hong Kong and Macao universities and institutes bid for "
            "central fiscal S&T funds and use them in Hong Kong and Macao."
        ),
        "description_zh_hant": "科技部、財政部規定容許港澳高校及科研機構申請中央財政科技計劃資金並在港澳使用。",
        "source_id": "xinhua-2018-05-15;uwn-2018-05-17",
        "confidence": "secondary",
        "claim_id": "",
        "note": "Central (not Guangdong) funds.",
    },
    {
        "date": "2018-05",
        "date_precision": "month",
        "event_type": "first_batch",
        "payer": "Central government (MOST)",
        "recipient": "16 Partner State Key Laboratories and 6 CNERC Hong Kong branches",
        "amount": "22",
        "currency": "RMB",
        "title_en": "First batch of central S&T funds paid to Hong Kong labs",
        "title_zh_hant": "首批中央財政科研經費撥付香港實驗室",
        "description_en": (
            "About RMB 22 million had already been paid to 16 Partner State Key Laboratories and "
            "6 Hong Kong branches of Chinese National Engineering Research Centres."
        ),
        "description_zh_hant": "約2,200萬元人民幣已撥付16個夥伴國家重點實驗室及6個國家工程技術研究中心香港分中心。",
        "source_id": "xinhua-2018-05-15;uwn-2018-05-17",
        "confidence": "secondary",
        "claim_id": "",
        "note": "The source says 'about' (≈) RMB 22 m; central (not Guangdong) funds.",
    },
    {
        "date": "2019",
        "date_precision": "year",
        "event_type": "policy",
        "payer": "Guangdong S&T Department and Finance Department",
        "recipient": "Hong Kong and Macao institutions",
        "title_en": "Guangdong rules on cross-border use of research funds",
        "title_zh_hant": "廣東省科技廳、財政廳聯合印發科研資金跨境使用規定",
        "description_en": (
            "Early in 2019 the Guangdong S&T and Finance Departments jointly issued rules setting "
            "up cross-border use of provincial research funds in Hong Kong and Macao."
        ),
        "description_zh_hant": "2019年初，廣東省科技廳與省財政廳聯合印發相關規定，建立粵港澳科技合作與資金跨境使用機制。",
        "source_id": "article-wwp-2025",
        "confidence": "unverified",
        "claim_id": "",
        "note": "'早在2019年初' (early 2019) per the article only; no copy of the rules seen.",
    },
    {
        "date": "2019-07",
        "date_precision": "month",
        "event_type": "single_grant",
        "payer": "Guangdong provincial authorities",
        "recipient": "HKUST team (Prof. Patrick Yue)",
        "title_en": "First Guangdong research grant paid across the border to HKUST",
        "title_zh_hant": "廣東省首次向香港科技大學跨境撥付科研經費",
        "description_en": (
            "The first cross-border grant from Guangdong provincial authorities went to an HKUST "
            "team in July 2019."
        ),
        "description_zh_hant": "2019年7月，廣東省首筆跨境科研經費撥付予香港科技大學團隊。",
        "source_id": "scmp-3023599",
        "confidence": "secondary",
        "claim_id": "C13",
        "note": (
            "SCMP confirms a July 2019 grant but gives no amount; the article's date (30 Jul) and "
            "amount (RMB 3.1696 m) are in the next row, unverified."
        ),
    },
    {
        "date": "2019-07-30",
        "date_precision": "day",
        "event_type": "single_grant",
        "payer": "Guangdong provincial government",
        "recipient": "HKUST",
        "amount": "3.1696",
        "currency": "RMB",
        "title_en": "RMB 3.1696 m to HKUST (article figure)",
        "title_zh_hant": "向香港科技大學撥付316.96萬元（文章數字）",
        "description_en": (
            "The article says Guangdong first paid RMB 3.1696 m of provincial research project "
            "funds to HKUST on 30 July 2019."
        ),
        "description_zh_hant": "文章指2019年7月30日廣東省首次向香港科技大學撥付316.96萬元科研項目財政資金。",
        "source_id": "article-wwp-2025",
        "confidence": "unverified",
        "claim_id": "C13",
        "note": "Not found in the sources consulted; the article is the only source.",
    },
    {
        "date": "2019-08",
        "date_precision": "month",
        "event_type": "single_grant",
        "payer": "Southern Marine Science and Engineering Guangdong Laboratory (Guangzhou)",
        "recipient": "Its Hong Kong branch at HKUST (Prof. Qian Peiyuan)",
        "amount": "38",
        "currency": "RMB",
        "title_en": "Southern Marine Laboratory pays RMB 38 m to its Hong Kong branch",
        "title_zh_hant": "南方海洋科學與工程廣東省實驗室（廣州）向香港分部撥付3,800萬元",
        "description_en": (
            "RMB 38 million (HK$42.27 million) to build the laboratory's Hong Kong branch at "
            "HKUST, part of RMB 114 million over three years; Guangzhou's first cross-border "
            "research grant."
        ),
        "description_zh_hant": "3,800萬元人民幣（4,227萬港元）用於建設香港分部，屬三年共1.14億元的一部分；廣州市科研資金跨境撥付「零的突破」。",
        "source_id": "scmp-3023599;article-wwp-2025",
        "confidence": "secondary",
        "claim_id": "C14",
        "note": (
            "HK$42.27 m in the SCMP report. The SCMP article is dated Aug 2019; the reference "
            "places the grant in Jul-Aug 2019."
        ),
    },
    {
        "date": "2019-08",
        "date_precision": "month",
        "event_type": "cumulative",
        "payer": "Guangdong and Guangzhou funders",
        "recipient": "HKUST",
        "amount": "45",
        "currency": "HKD",
        "is_cumulative": "True",
        "is_lower_bound": "True",
        "title_en": "HKUST nets over HK$45 m in first cross-border grants",
        "title_zh_hant": "香港科技大學首批跨境科研撥款逾4,500萬港元",
        "description_en": (
            "First cross-border grants under the GBA scheme to HKUST total more than HK$45 m "
            "(including the RMB 38 m Southern Marine Laboratory grant)."
        ),
        "description_zh_hant": "大灣區機制下首批跨境撥付香港科技大學的科研經費合共逾4,500萬港元（包括南方海洋實驗室3,800萬元人民幣）。",
        "source_id": "scmp-3023599",
        "confidence": "secondary",
        "claim_id": "",
        "note": "'Over' HK$45 m: lower bound; overlaps the RMB 38 m row (do not add them).",
    },
    {
        "date": "2019-10",
        "date_precision": "month",
        "event_type": "policy",
        "payer": "Shenzhen Finance Bureau",
        "recipient": "Hong Kong and Macao institutions",
        "title_en": "Shenzhen rules let its R&D funds be used in Hong Kong and Macao",
        "title_zh_hant": "深圳規定科研資金可在港澳使用",
        "description_en": (
            "Shenzhen R&D funds may be used in Hong Kong and Macao, settled in RMB; grants under "
            "RMB 1 m are paid in two instalments."
        ),
        "description_zh_hant": "深圳科研資金可跨境在港澳使用，以人民幣結算；100萬元以下項目分兩期撥付。",
        "source_id": "globaltimes-2019-10-23",
        "confidence": "secondary",
        "claim_id": "",
        "note": "Rule; no amount.",
    },
    {
        "date": "2019-12",
        "date_precision": "month",
        "event_type": "policy",
        "payer": "MOST; Guangdong S&T Department; Shenzhen STIC",
        "recipient": "Hong Kong institutions",
        "title_en": "Mainland R&D programmes opened to Hong Kong; first funds remitted",
        "title_zh_hant": "內地科研計劃向香港開放，部分資助已過境",
        "description_en": (
            "MOST, the Guangdong S&T Department and the Shenzhen STIC had opened R&D programmes "
            "to Hong Kong; 'some approved funds have been successfully remitted across the "
            "boundary'."
        ),
        "description_zh_hant": "科技部、廣東省科技廳及深圳市科創委的科研計劃已向香港開放，部分獲批資助已成功過境。",
        "source_id": "newsgov-2019-12-03",
        "confidence": "secondary",
        "claim_id": "",
        "note": "No amount.",
    },
    {
        "date": "2021-01",
        "date_precision": "month",
        "event_type": "single_grant",
        "payer": "Shenzhen (Shenzhen-Hong Kong-Macao S&T programme, Category C)",
        "recipient": "City University of Hong Kong",
        "title_en": "Shenzhen programme funds disbursed to CityU",
        "title_zh_hant": "深港澳科技計劃（C類）項目資金撥付香港城市大學",
        "description_en": (
            "Project funds of the Shenzhen-Hong Kong-Macao S&T programme (Category C) disbursed "
            "to CityU, reported as an example case."
        ),
        "description_zh_hant": "深港澳科技計劃（C類）項目資金撥付香港城市大學，作為案例報道。",
        "source_id": "stdaily-2022-06-30",
        "confidence": "secondary",
        "claim_id": "",
        "note": "Example case; no amount.",
    },
    {
        "date": "2021-08",
        "date_precision": "month",
        "event_type": "policy",
        "payer": "Guangdong provincial government",
        "recipient": "Hong Kong and Macao institutions",
        "title_en": "Guangdong rules on cross-border use of provincial research funds (trial)",
        "title_zh_hant": "《廣東省省級財政科研項目資金跨境港澳地區使用管理規程（試行）》出台",
        "description_en": (
            "Trial management rules for using provincial fiscal research project funds in Hong "
            "Kong and Macao, aligning the three places' rules."
        ),
        "description_zh_hant": "實現三地財政科研資金管理規則的有效對接。",
        "source_id": "article-wwp-2025",
        "confidence": "unverified",
        "claim_id": "C16",
        "note": "Consistent with other reporting; no independent copy of the rules seen.",
    },
    {
        "date": "2022-06",
        "date_precision": "month",
        "event_type": "cumulative",
        "payer": "Guangdong (provincial research funds)",
        "recipient": "Hong Kong and Macao",
        "amount": "300",
        "currency": "RMB",
        "is_cumulative": "True",
        "is_lower_bound": "True",
        "title_en": "Cumulative cross-border research funding passes RMB 300 m",
        "title_zh_hant": "全省科研經費跨境撥付累計超過3億元",
        "description_en": (
            "Guangdong's research funds disbursed across the border had passed RMB 300 million "
            "('全省科研经费跨境拨付已超3亿元')."
        ),
        "description_zh_hant": "廣東全省科研經費跨境撥付已超過3億元人民幣。",
        "source_id": "stdaily-2022-06-30",
        "confidence": "secondary",
        "claim_id": "",
        "note": "Reported 2022-06-30 ('by June 2022'); 'over': lower bound.",
    },
    {
        "date": "2023-11-06",
        "date_precision": "day",
        "is_date_inferred": "True",
        "event_type": "cumulative",
        "payer": GD_GOV,
        "recipient": "Hong Kong and Macao",
        "amount": "460",
        "currency": "RMB",
        "is_cumulative": "True",
        "is_lower_bound": "True",
        "title_en": "Cumulative cross-border research funding passes RMB 460 m",
        "title_zh_hant": "廣東省科技廳累計向港澳跨境撥付科研經費超過4.6億元",
        "description_en": (
            "Guangdong S&T Department briefing: research funds disbursed to Hong Kong and Macao "
            "total over RMB 460 million; 31 Guangdong-Hong Kong-Macao joint laboratories."
        ),
        "description_zh_hant": "廣東省科技廳通報：累計向港澳跨境撥付科研經費超過4.6億元人民幣；建有31家粵港澳聯合實驗室。",
        "source_id": "chinanews-gd-crossborder-460m;article-wwp-2025",
        "confidence": "secondary",
        "claim_id": "C15",
        "note": (
            "Amount confirmed by the 中新社 briefing report (C15 confirmed). Month and day from its "
            "dateline '广州11月6日电'; the YEAR IS INFERRED (not visible in the copy; likely "
            "2023). The reference tags the row uncertain for that reason only. The article "
            "(2025) repeats '已超4.6億元' as current. 'Over': lower bound."
        ),
    },
    {
        "date": "2024",
        "date_precision": "year",
        "event_type": "policy",
        "payer": "Central government and Guangdong",
        "recipient": "Hong Kong and Macao",
        "title_en": "Central and Guangdong research funds usable in Hong Kong and Macao",
        "title_zh_hant": "中央及廣東財政科研資金可跨境在港澳使用",
        "description_en": (
            "The 2024 regional innovation capability report records central and Guangdong fiscal "
            "research funds usable across the border; 25 national key R&D special programmes and "
            "over 130,000 large instruments opened to Hong Kong and Macao."
        ),
        "description_zh_hant": "《中國區域創新能力評價報告2024》：中央及廣東財政科研資金可跨境使用；25個國家重點研發專項及逾13萬台大型儀器向港澳開放。",
        "source_id": "regional-innovation-report-2024",
        "confidence": "secondary",
        "claim_id": "",
        "note": "Report year, not an event date; no amount.",
    },
    {
        "date": "2024-06",
        "date_precision": "month",
        "event_type": "cumulative",
        "payer": "Other GBA cities",
        "recipient": "Hong Kong",
        "amount": "560",
        "currency": "RMB",
        "is_cumulative": "True",
        "title_en": "RMB 560 m of research funds from other GBA cities into Hong Kong (article)",
        "title_zh_hant": "5.6億元大灣區其他城市科研資金過境到香港（文章數字）",
        "description_en": (
            "The article says that by June 2024 RMB 560 million of research funds from other GBA "
            "cities had crossed into Hong Kong."
        ),
        "description_zh_hant": "文章指截至2024年6月，已有5.6億元人民幣來自大灣區其他城市的科研資金過境到香港。",
        "source_id": "article-wwp-2025",
        "confidence": "unverified",
        "claim_id": "C6",
        "note": "Not found in the sources consulted; the article is the only source.",
    },
    {
        "date": "2024-07",
        "date_precision": "month",
        "event_type": "facility_opening",
        "payer": "",
        "recipient": "",
        "title_en": "China Spallation Neutron Source phase II construction starts",
        "title_zh_hant": "中國散裂中子源二期工程開工",
        "description_en": (
            "Phase II of the CSNS in Dongguan started construction in July 2024, planned to be "
            "completed in August 2026."
        ),
        "description_zh_hant": "東莞中國散裂中子源二期工程於2024年7月正式開工，計劃2026年8月竣工。",
        "source_id": "article-wwp-2025",
        "confidence": "unverified",
        "claim_id": "C18",
        "note": "Construction start (not an opening); planned completion 2026-08. Article only.",
    },
]

#: Reference rows of rd_crossborder_funding.csv (by their date text) and the events above that
#: carry them; the script fails if the reference gains a row that is not accounted for.
CROSSBORDER_REFERENCE_DATES = {
    "2018-05": ["2018-05"],
    "2019 (Jul–Aug)": ["2019-07", "2019-08"],
    "2019-10": ["2019-10"],
    "2019-12": ["2019-12"],
    "2021-01": ["2021-01"],
    "2022 (by Jun)": ["2022-06"],
    "Nov 6 (year not shown; likely 2023)": ["2023-11-06"],
    "2024 (report)": ["2024"],
    "by Jun 2024": ["2024-06"],
    "2019-07-30": ["2019-07-30"],
}

# --------------------------------------------------------------------------------------------
# shared_facilities (article claims C9-C12)
# --------------------------------------------------------------------------------------------
CSNS = ("csns", "China Spallation Neutron Source (Dongguan)", "中國散裂中子源（東莞）")
NANSHA = (
    "nsccgz_nansha",
    "National Supercomputing Center in Guangzhou, Nansha sub-centre",
    "國家超算廣州中心南沙分中心",
)
ARTICLE_DATE_NOTE = (
    "as_of = the article's year (autumn 2025): the article gives no date for this figure."
)
SHARED_FACILITIES: list[dict[str, str]] = [
    {
        "facility": "csns",
        "metric": "experiments",
        "value": "100",
        "unit": "experiments (research projects)",
        "as_of": "2025",
        "is_lower_bound": "True",
        "claim_id": "C9",
        "note": "'完成超過100項實驗課題' for Hong Kong and Macao institutions. "
        + ARTICLE_DATE_NOTE,
    },
    {
        "facility": "csns",
        "metric": "user_share_pct",
        "value": "10",
        "unit": "percent",
        "as_of": "2025",
        "is_lower_bound": "True",
        "claim_id": "C10",
        "note": (
            "'已為超過10%的港澳用戶提供科研服務': wording ambiguous, read as the share of CSNS users "
            "from Hong Kong and Macao. " + ARTICLE_DATE_NOTE
        ),
    },
    {
        "facility": "nsccgz_nansha",
        "metric": "research_teams",
        "value": "230",
        "unit": "research teams",
        "as_of": "2024-10-31",
        "is_lower_bound": "False",
        "claim_id": "C11",
        "note": "Hong Kong, Macao and overseas teams served, by the end of October 2024.",
    },
    {
        "facility": "nsccgz_nansha",
        "metric": "core_hours",
        "value": "280",
        "unit": "million core-hours",
        "as_of": "2024-10-31",
        "is_lower_bound": "True",
        "claim_id": "C11",
        "note": "'超過2.8億核時' (over 280 million core-hours) by the end of October 2024.",
    },
    {
        "facility": "nsccgz_nansha",
        "metric": "papers",
        "value": "34",
        "unit": "SCI papers",
        "as_of": "2024-10-31",
        "is_lower_bound": "False",
        "claim_id": "C12",
        "note": (
            "SCI papers by Hong Kong/Macao researchers helped since 2023 (counted from 2023); "
            "same bullet as the October 2024 figures, so the end of October 2024 is assumed."
        ),
    },
]


# --------------------------------------------------------------------------------------------
# targets (requested by REPORTS-A) and exchange_rates (requested by REPORTS-B)
# --------------------------------------------------------------------------------------------
GD_14FYP = {
    "region_code": "GD",
    "target_year": "2025",
    "plan_en": "Guangdong 14th Five-Year Plan for Science and Technology Innovation",
    "plan_zh_hant": "《廣東省科技創新「十四五」規劃》",
    "announced": "2021-09",
    "source_id": "amcham-scc-white-paper-2023",
    "confidence": "secondary",
}
TARGETS: list[dict[str, str]] = [
    GD_14FYP
    | {
        "target_id": "GD_14FYP_RD_INTENSITY",
        "indicator": "rd_intensity_pct_gdp",
        "target_value": "3.5",
        "unit": "percent of GDP",
        "is_lower_bound": "False",
        "note": "'R&D/GDP 3.5% by 2025' as summarised by AmCham (no 'at least' in the summary).",
    },
    GD_14FYP
    | {
        "target_id": "GD_14FYP_RD_GROWTH",
        "indicator": "rd_expenditure_growth_pct_per_year",
        "target_value": "10",
        "unit": "percent per year",
        "is_lower_bound": "True",
        "note": "'R&D growth >= 10%/yr' over the plan period 2021-2025.",
    },
    GD_14FYP
    | {
        "target_id": "GD_14FYP_BASIC_RESEARCH_SHARE",
        "indicator": "basic_research_share_pct_rd",
        "target_value": "10",
        "unit": "percent of R&D expenditure",
        "is_lower_bound": "False",
        "note": "'Basic research 10% of R&D' by 2025.",
    },
]

EXCHANGE_RATES: list[dict[str, str]] = [
    {
        "rate_id": "scmp_2019_08_rmb_hkd",
        "date": "2019-08",
        "base_currency": "RMB",
        "quote_currency": "HKD",
        "base_amount": "38",
        "quote_amount": "42.27",
        "rate_type": "implied_from_source_pair",
        "source_id": "scmp-3023599",
        "confidence": "secondary",
        "note": (
            "SCMP gives the Southern Marine Laboratory grant as RMB 38 m (HK$42.27 m): the pair "
            "is the newspaper's own conversion, not an official rate. No official rate (HKMA, "
            "SAFE central parity) is in the reference compilation."
        ),
    },
]


# ============================================================================================
# Helpers
# ============================================================================================
def read_csv(path: Path) -> list[dict[str, str]]:
    """Read a CSV file into a list of dicts (all values as text)."""
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    """Write rows with exactly these columns, in order (missing values as empty text)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def write_meta(path: Path, meta: dict) -> None:
    """Write a YAML sidecar (UTF-8, keys in the given order)."""
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")


def check(condition: bool, message: str) -> None:
    """Stop the build with ``message`` when a consistency check fails."""
    if not condition:
        sys.exit(f"check failed: {message}")


def join_notes(*parts: str) -> str:
    """Join non-empty note fragments with a space."""
    return " ".join(p.strip() for p in parts if p and p.strip())


def province_source_id(year: int, source_text: str) -> str:
    """Map a provinces/national reference row to its source id (checked against the text)."""
    for first, last, needle, source_id in PROVINCE_SOURCE_RULES:
        if first <= year <= last:
            check(needle in source_text, f"{year}: unexpected source text {source_text[:60]!r}")
            return source_id
    sys.exit(f"no source rule for year {year}")


# ============================================================================================
# Builders
# ============================================================================================
def build_regions() -> list[dict[str, str]]:
    """Return the region codelist rows."""
    rows = [
        {
            "region_code": "CN",
            "region_type": "country",
            "name_en": "China",
            "name_zh_hant": "中國",
            "parent_code": "",
            "is_gba": "False",
            "note": "Mainland China national totals (NBS 全國) and World Bank China.",
        }
    ]
    for code, _, en, zh in PROVINCES:
        rows.append(
            {
                "region_code": code,
                "region_type": "province",
                "name_en": en,
                "name_zh_hant": zh,
                "parent_code": "CN",
                "is_gba": "False",
                "note": "Guizhou: QN because GZ is Guangzhou in this project."
                if code == "QN"
                else "",
            }
        )
    for code, en, zh in [("HK", "Hong Kong", "香港"), ("MO", "Macao", "澳門")]:
        rows.append(
            {
                "region_code": code,
                "region_type": "sar",
                "name_en": en,
                "name_zh_hant": zh,
                "parent_code": "CN",
                "is_gba": "True",
                "note": "",
            }
        )
    for code, _, en, zh in GBA_CITIES:
        rows.append(
            {
                "region_code": code,
                "region_type": "city",
                "name_en": en,
                "name_zh_hant": zh,
                "parent_code": "GD",
                "is_gba": "True",
                "note": "",
            }
        )
    rows.append(
        {
            "region_code": "PRD9",
            "region_type": "city_group",
            "name_en": "Pearl River Delta (9 mainland GBA cities)",
            "name_zh_hant": "珠三角九市",
            "parent_code": "GD",
            "is_gba": "True",
            "note": "Guangzhou, Shenzhen, Zhuhai, Foshan, Huizhou, Dongguan, Zhongshan, Jiangmen, "
            "Zhaoqing.",
        }
    )
    rows.append(
        {
            "region_code": "GBA",
            "region_type": "city_group",
            "name_en": "Guangdong-Hong Kong-Macao Greater Bay Area",
            "name_zh_hant": "粵港澳大灣區",
            "parent_code": "CN",
            "is_gba": "True",
            "note": "PRD9 plus Hong Kong and Macao.",
        }
    )
    for code, rtype, en, zh in ECONOMIES:
        rows.append(
            {
                "region_code": code,
                "region_type": rtype,
                "name_en": en,
                "name_zh_hant": zh,
                "parent_code": "",
                "is_gba": "False",
                "note": "World Bank aggregate code." if rtype == "aggregate" else "",
            }
        )
    for code, parent, en, zh, gba in [
        ("CHN", "CN", "China", "中國", "False"),
        ("HKG", "HK", "Hong Kong", "香港", "True"),
    ]:
        rows.append(
            {
                "region_code": code,
                "region_type": "economy",
                "name_en": en,
                "name_zh_hant": zh,
                "parent_code": parent,
                "is_gba": gba,
                "note": f"ISO3 alias of {parent}, used by the GII tables (economy_code); "
                f"rd_intensity uses {parent}.",
            }
        )
    return rows


def build_rd_intensity(ref: Path) -> tuple[list[dict[str, str]], list[str]]:
    """Return rd_intensity rows and the list of checks performed (for the report)."""
    rows: list[dict[str, str]] = []
    checks: list[str] = []

    def add(**kw: str) -> None:
        row = {"is_series_break": "False", "is_derived": "False", "note": ""} | kw
        key = (row["region_code"], int(row["year"]), row["series"])
        if key in SERIES_BREAKS:
            row["is_series_break"] = "True"
        rows.append(row)

    # --- NBS: national + every province (all-provinces file is the master)
    prov = read_csv(ref / "rd_china_provinces_all.csv")
    national = {r["year"]: r for r in read_csv(ref / "rd_china_national.csv")}
    by_year: dict[int, dict[str, dict[str, str]]] = defaultdict(dict)
    for r in prov:
        code = PROVINCE_CODE[r["region_cn"]]
        year = int(r["year"])
        by_year[year][code] = r
        source_id = province_source_id(year, r["source"])
        if code == "CN" and year == 2010:
            source_id = "nbs-yearbook-2010;nbs-communique-2010"
        note = NBS_ROW_NOTES.get((code, year), "")
        if year == 2010 and code != "CN":
            note = join_notes(
                "From the 2010 S&T yearbook table (the 2010 communique's provincial table was not in the sources consulted); "
                "provincial intensity for 2010 not found.",
                note,
            )
        if year == 2024 and code not in ("CN",):
            note = join_notes(
                note, "Only provinces named in the 2024 communique summary are available."
            )
        add(
            region_code=code,
            year=str(year),
            series="nbs_first_release",
            rd_expenditure_rmb_100m=r["rd_expenditure_100m_rmb"],
            rd_intensity_pct_gdp=r["rd_intensity_pct_of_gdp"],
            source_id=source_id,
            confidence=CONFIDENCE[r["confidence"]],
            note=note,
        )
    # Checks: national present every year, equal to the national file; provinces sum to it.
    for year in range(2010, 2025):
        check("CN" in by_year[year], f"NBS national total missing for {year}")
        n = by_year[year]["CN"]
        nat = national[str(year)]
        check(
            n["rd_expenditure_100m_rmb"] == nat["rd_expenditure_100m_rmb"]
            and n["rd_intensity_pct_of_gdp"] == nat["rd_intensity_pct_nbs_first_release"],
            f"national {year} differs between reference files",
        )
        provs = [r for c, r in by_year[year].items() if c != "CN"]
        if year <= 2023:
            check(len(provs) == 31, f"{year}: {len(provs)} provinces, expected 31")
            total = sum(float(r["rd_expenditure_100m_rmb"]) for r in provs)
            gap = total - float(n["rd_expenditure_100m_rmb"])
            check(abs(gap) < 0.5, f"{year}: provinces sum {total:.1f} vs national")
            nat_total = n["rd_expenditure_100m_rmb"]
            checks.append(
                f"{year}: 31 provinces sum to {total:.1f} vs national {nat_total} "
                f"(gap {gap:+.1f}, rounding)"
            )
        gd = by_year[year]["GD"]
        share = 100 * float(gd["rd_expenditure_100m_rmb"]) / float(n["rd_expenditure_100m_rmb"])
        checks.append(f"{year}: Guangdong share of national R&D {share:.1f}%")
    # The leading-provinces file must agree with the all-provinces file.
    for r in read_csv(ref / "rd_guangdong_and_leading_provinces.csv"):
        p = by_year[int(r["year"])][PROVINCE_CODE[r["region_cn"]]]
        check(
            (p["rd_expenditure_100m_rmb"], p["rd_intensity_pct_of_gdp"])
            == (r["rd_expenditure_100m_rmb"], r["rd_intensity_pct_of_gdp"]),
            f"leading-provinces file differs for {r['year']} {r['region_en']}",
        )
    checks.append("rd_guangdong_and_leading_provinces.csv agrees with rd_china_provinces_all.csv")

    # --- Guangdong provincial communique 2024
    add(
        region_code="GD",
        year="2024",
        series="provincial_release",
        rd_expenditure_rmb_100m=GD_PROVINCIAL_2024["rd_expenditure_rmb_100m"],
        rd_intensity_pct_gdp=GD_PROVINCIAL_2024["rd_intensity_pct_gdp"],
        source_id="gd-communique-2024",
        confidence="secondary",
        note=GD_PROVINCIAL_2024["note"],
    )

    # --- World Bank (international file is the master; national/HK/Macao files cross-checked)
    intl = read_csv(ref / "rd_international.csv")
    wb = {
        (r["iso3"], r["year"]): r["gerd_pct_gdp"]
        for r in intl
        if r["source"].startswith(WB_SOURCE_PREFIX)
    }
    for year, r in national.items():
        if r["rd_intensity_pct_worldbank"]:
            check(wb.get(("CHN", year)) == r["rd_intensity_pct_worldbank"], f"WB China {year}")
    hk_ref = read_csv(ref / "rd_hongkong.csv")
    for r in hk_ref:
        check(wb.get(("HKG", r["year"]), "") == r["gerd_pct_gdp_worldbank"], f"WB HK {r['year']}")
    macao = read_csv(ref / "rd_macao.csv")
    macao_wb = {r["year"]: r for r in macao if r["source"].startswith(WB_SOURCE_PREFIX)}
    for year, r in macao_wb.items():
        if ("MAC", year) in wb:
            check(wb[("MAC", year)] == r["gerd_pct_gdp"], f"WB Macao {year}")
    checks.append("World Bank values agree across rd_international/national/hongkong/macao files")

    for r in intl:
        iso3, year, value = r["iso3"], r["year"], r["gerd_pct_gdp"]
        code = ISO3_TO_REGION.get(iso3, iso3)
        if r["source"].startswith(WB_SOURCE_PREFIX):
            if iso3 == "MAC":
                continue  # Macao World Bank rows come from rd_macao.csv (which goes back to 2001)
            add(
                region_code=code,
                year=year,
                series="worldbank_wdi",
                rd_intensity_pct_gdp=value,
                source_id="worldbank-wdi-gerd",
                confidence=CONFIDENCE[r["confidence"]],
                note=WB_ROW_NOTES.get((code, int(year)), ""),
            )
        elif (iso3, year, value) in INTERNATIONAL_DUPLICATES:
            continue  # same value as the NBS row already in the table
        elif r["source"].startswith("Visual Capitalist"):
            note = "Rounded to one decimal; OECD MSTI-based (2023 or latest)."
            if iso3 == "CHN":
                note += " NBS first release: 2.65."
            add(
                region_code=code,
                year=year,
                series="oecd_msti_rounded",
                rd_intensity_pct_gdp=value,
                source_id="visualcapitalist-rd-2023",
                confidence="secondary",
                note=note,
            )
        elif iso3 == "TWN":
            d = TAIWAN_DECISIONS[int(year)]
            if d.get("omit_row"):
                continue
            add(
                region_code="TWN",
                year=year,
                series="national_release",
                rd_intensity_pct_gdp=value,
                source_id=d["source_id"],
                confidence=d.get("confidence", CONFIDENCE[r["confidence"]]),
                note=d["note"],
            )
        else:
            sys.exit(f"unhandled international row {iso3} {year}")
    for code, (value, note) in EXTRA_OECD_ROUNDED.items():
        add(
            region_code=code,
            year="2023",
            series="oecd_msti_rounded",
            rd_intensity_pct_gdp=value,
            source_id="visualcapitalist-rd-2023",
            confidence="secondary",
            note=note,
        )

    # --- Macao World Bank 2001-2023 (earlier years kept; the 2009 0.2% claim excluded)
    for year, r in sorted(macao_wb.items()):
        add(
            region_code="MO",
            year=year,
            series="worldbank_wdi",
            rd_intensity_pct_gdp=r["gerd_pct_gdp"],
            source_id="worldbank-wdi-gerd",
            confidence=CONFIDENCE[r["confidence"]],
            note=WB_ROW_NOTES.get(("MO", int(year)), ""),
        )
    other_macao = [r for r in macao if not r["source"].startswith(WB_SOURCE_PREFIX)]
    for r in other_macao:
        wb_value = float(macao_wb[r["year"]]["gerd_pct_gdp"])
        if r["confidence"] == "uncertain":
            check(r["year"] == "2009", "only the 2009 claim is expected to conflict")
        else:
            check(abs(float(r["gerd_pct_gdp"]) - wb_value) < 0.01, f"GASS Macao {r['year']}")
    checks.append("Macao: GASS paper values agree with WB within 0.01 pp; 2009 0.2% excluded")

    # --- Hong Kong C&SD ratio
    for r in hk_ref:
        year = int(r["year"])
        if not r["gerd_pct_gdp_csd"]:
            continue
        source_id, note = HK_CSD_SOURCES[year]
        add(
            region_code="HK",
            year=str(year),
            series="csd",
            rd_intensity_pct_gdp=r["gerd_pct_gdp_csd"],
            source_id=source_id,
            confidence=CONFIDENCE[r["confidence"]],
            note=note,
        )

    # --- GBA cities
    for r in read_csv(ref / "rd_gba_cities.csv"):
        key = (r["city"], int(r["year"]))
        d = CITY_DECISIONS[key]
        if d.get("omit_row"):
            continue
        values = {
            "rd_expenditure_rmb_100m": r["rd_expenditure_100m_rmb"],
            "rd_intensity_pct_gdp": r["rd_intensity_pct_of_gdp"],
        }
        for col in d.get("drop", []):
            values[col] = ""
        add(
            region_code=CITY_CODE[r["city"]],
            year=r["year"],
            series="city_release",
            source_id=str(d["source_id"]),
            confidence=str(d.get("confidence", CONFIDENCE[r["confidence"]])),
            note=str(d.get("note", "")),
            **values,
        )
    # Check the shares the reference states for Shenzhen and the PRD.
    gd = {y: float(by_year[y]["GD"]["rd_expenditure_100m_rmb"]) for y in (2019, 2021, 2023, 2024)}
    city = {(x["region_code"], int(x["year"])): x for x in rows if x["series"] == "city_release"}
    for (code, year), stated in {
        ("SZ", 2021): 42.0,
        ("SZ", 2023): 46.6,
        ("SZ", 2024): 48.0,
        ("PRD9", 2019): 95.6,
    }.items():
        share = 100 * float(city[(code, year)]["rd_expenditure_rmb_100m"]) / gd[year]
        check(abs(share - stated) < 0.5, f"{code} {year} share {share:.1f} vs stated {stated}")
        checks.append(f"{code} {year}: {share:.2f}% of Guangdong (source says {stated}%)")

    rows.sort(key=lambda x: (x["region_code"], x["series"], int(x["year"])))
    keys = [(x["region_code"], x["year"], x["series"]) for x in rows]
    check(len(keys) == len(set(keys)), "duplicate rd_intensity keys")
    for x in rows:
        v = x.get("rd_intensity_pct_gdp", "")
        check(v == "" or 0 <= float(v) <= 10, f"intensity out of range {x}")
        check(
            x.get("rd_expenditure_rmb_100m", "") == ""
            or x["region_code"] not in {c for c, *_ in ECONOMIES} | {"HK", "MO"},
            f"RMB amount on a non-mainland row {x}",
        )
    return rows, checks


def build_hk_gerd_by_sector(ref: Path) -> tuple[list[dict[str, str]], list[str]]:
    """Return HK GERD by performing sector rows (2015-2024 where available)."""
    rows: list[dict[str, str]] = []
    checks: list[str] = []
    for r in read_csv(ref / "rd_hongkong.csv"):
        year = int(r["year"])
        if year < 2015 or not r["gerd_hkd_million"]:
            continue
        if r["business_hkd_million"]:
            parts = sum(float(r[c]) for s, c in HK_SECTOR_COLUMNS.items() if s != "total")
            gap = parts - float(r["gerd_hkd_million"])
            check(abs(gap) <= 1.0, f"HK {year}: sectors sum {parts} vs total")
            checks.append(f"HK {year}: sectors sum to {parts:.1f} vs total {r['gerd_hkd_million']}")
        for sector, col in HK_SECTOR_COLUMNS.items():
            if not r[col]:
                continue
            note = HK_SECTOR_NOTES.get((year, sector), "")
            if sector == "higher_education":
                note = join_notes("Academic year July-June.", note)
            rows.append(
                {
                    "region_code": "HK",
                    "year": str(year),
                    "sector": sector,
                    "gerd_hkd_million": r[col],
                    "is_series_break": "True" if year == 2018 else "False",
                    "source_id": HK_SECTOR_SOURCES[year],
                    "confidence": CONFIDENCE[r["confidence"]],
                    "note": note,
                }
            )
    return rows, checks


def build_crossborder(ref: Path) -> list[dict[str, str]]:
    """Return the cross-border funding milestones (reference rows checked for coverage)."""
    ref_rows = read_csv(ref / "rd_crossborder_funding.csv")
    ref_dates = {r["date"] for r in ref_rows}
    check(
        ref_dates == set(CROSSBORDER_REFERENCE_DATES),
        f"reference cross-border rows changed: {sorted(ref_dates ^ set(CROSSBORDER_REFERENCE_DATES))}",
    )
    our_dates = {e["date"] for e in CROSSBORDER_EVENTS}
    for dates in CROSSBORDER_REFERENCE_DATES.values():
        check(set(dates) <= our_dates, f"no event for reference date(s) {dates}")
    # Amounts stated in the reference must appear in the events.
    amounts = {e.get("amount") for e in CROSSBORDER_EVENTS}
    for needed in ("22", "38", "300", "460", "560", "3.1696"):
        check(needed in amounts, f"amount {needed} missing")
    rows = []
    events = sorted(CROSSBORDER_EVENTS, key=lambda e: e["date"])
    for i, e in enumerate(events, start=1):
        row = {
            "event_id": f"CB{i:02d}",
            "amount": "",
            "currency": "",
            "is_date_inferred": "False",
            "is_cumulative": "False",
            "is_lower_bound": "False",
        } | e
        row["amount_unit"] = "million" if row["amount"] else ""
        rows.append(row)
    return rows


def build_shared_facilities() -> list[dict[str, str]]:
    """Return the shared-facility figures from the article (all unverified)."""
    names = {c: (en, zh) for c, en, zh in (CSNS, NANSHA)}
    rows = []
    for f in SHARED_FACILITIES:
        en, zh = names[f["facility"]]
        rows.append(
            {
                "facility_code": f["facility"],
                "facility_en": en,
                "facility_zh_hant": zh,
                "metric": f["metric"],
                "value": f["value"],
                "unit": f["unit"],
                "as_of": f["as_of"],
                "is_lower_bound": f["is_lower_bound"],
                "source_id": "article-wwp-2025",
                "confidence": "unverified",
                "claim_id": f["claim_id"],
                "note": f["note"],
            }
        )
    return rows


def build_sources(existing: list[dict[str, str]]) -> list[dict[str, str]]:
    """Merge this script's catalogue rows with rows other people wrote (kept untouched).

    A row already present under one of our ids is replaced, except ``article-*`` / ``gii-*`` ids
    that another engineer may own: those are kept as they are.
    """
    ours = []
    existing_ids = {r["source_id"]: r for r in existing}
    for s in SOURCES:
        sid = s["source_id"]
        if sid.startswith(("article-", "gii-")) and sid in existing_ids:
            continue
        ours.append(s | {"date_accessed": DATE_ACCESSED})
    our_ids = {s["source_id"] for s in ours}
    foreign = [r for r in existing if r["source_id"] not in our_ids]
    # zh-Hant publisher/title/licence from scripts/sources_zh_hant.py (every row, ours or not)
    return [r | zh_fields(r) for r in ours + foreign]


# ============================================================================================
# Sidecars
# ============================================================================================
def col(description: str, type_: str, unit: str = "") -> dict[str, str]:
    """Describe one column for a sidecar."""
    return {"description": description, "unit": unit, "type": type_}


PROVENANCE_COLUMNS = {
    "source_id": col("Id(s) into data/sources.csv, ';'-joined when several", "string"),
    "confidence": col(
        "verified (official table or verbatim copy), secondary (news/mirror quoting the "
        "official release), unverified (derived, conflicting, approximate or article-only)",
        "string",
    ),
}


#: Sources cited only in notes or caveats of a table (listed in its sidecar too).
NOTE_SOURCES: dict[str, list[str]] = {
    "rd_intensity": [
        "gd-gov-work-report-2025",
        "owid-research-spending",
        "gass-macao-paper",
        "macaudailytimes-2009",
    ],
    "hk_gerd_by_sector": ["xinhua-hk-2018", "chinanews-hk-2024"],
}


def sources_of(rows: list[dict[str, str]]) -> list[str]:
    """Distinct source ids used by the rows, in first-seen order."""
    seen: list[str] = []
    for r in rows:
        for sid in r["source_id"].split(";"):
            sid = sid.strip()
            if sid and sid not in seen:
                seen.append(sid)
    return seen


def meta_regions(rows: list[dict[str, str]]) -> dict:
    """Sidecar for regions.csv."""
    return {
        "title": "Region codelist",
        "title_zh_hant": "地區代碼表",
        "description": (
            "Codes used by every table: China (CN), its 31 mainland provinces (2-letter codes "
            "after ISO 3166-2:CN, GD = Guangdong), Hong Kong (HK) and Macao (MO), the nine "
            "mainland GBA cities and city groups (PRD9, GBA), international economies (ISO3) and "
            "World Bank aggregates (OED = OECD members, WLD = World), with English and "
            "Traditional Chinese names."
        ),
        "description_zh_hant": "各表共用的地區代碼，附英文及繁體中文名稱。",
        "latest_period": "2025",
        "date_accessed": DATE_ACCESSED,
        "licence": "Project codelist (MIT, with the project).",
        "licence_zh_hant": "本項目代碼表，隨本項目以麻省理工學院許可證發布。",
        "sources": ["nbs-communique-2011-2023", "worldbank-wdi-gerd"],
        "columns": {
            "region_code": col("Project region code", "string"),
            "region_type": col(
                "country, province, sar, city, city_group, economy or aggregate", "string"
            ),
            "name_en": col("English name", "string"),
            "name_zh_hant": col("Traditional Chinese name", "string"),
            "parent_code": col(
                "Code of the enclosing region (CN for provinces and SARs, GD for cities); for "
                "the ISO3 aliases CHN/HKG, the project code they stand for",
                "string",
            ),
            "is_gba": col("Part of the Greater Bay Area (9 mainland cities, HK, MO)", "boolean"),
            "note": col("Remarks (code choices, aliases)", "string"),
        },
        "caveats": [
            "Guizhou is coded QN (from 黔), not ISO's GZ, because GZ is Guangzhou here.",
            "CHN and HKG are ISO3 aliases of CN and HK for the GII economy tables "
            "(gii_economy_ranks.economy_code); rd_intensity uses CN and HK only.",
            "Guangdong as a whole is not flagged is_gba: only its nine PRD cities are in the GBA.",
            "Taiwan (TWN) is listed as an economy because international R&D comparisons report "
            "it separately; no political status is implied.",
        ],
        "caveats_zh_hant": [
            "貴州代碼為QN（取自「黔」），因GZ已用作廣州。",
            "CHN及HKG為CN及HK的三字母國際標準代碼別名，供全球創新指數經濟體排名表使用；研發強度表只用CN及HK。",
            "廣東全省不標記為大灣區，只有珠三角九市屬大灣區。",
            "台灣因國際研發比較分開列示而列為經濟體，並不涉及任何政治地位。",
        ],
    }


def meta_rd_intensity(rows: list[dict[str, str]]) -> dict:
    """Sidecar for rd_intensity.csv."""
    return {
        "title": "R&D expenditure and R&D intensity by region, year and series",
        "title_zh_hant": "各地區研發經費及研發投入強度",
        "description": (
            "Tidy long table of gross domestic expenditure on R&D (mainland regions, RMB 100 "
            "million = 億元, current prices) and R&D as % of GDP, 2010-2024 where available "
            "(Macao from 2001, Taiwan from 2009). China's national NBS first release and the "
            "World Bank value are both kept, labelled by series, as are Guangdong's NBS and "
            "provincial-communique 2024 figures and Hong Kong's C&SD and World Bank ratios. "
            "Values are exactly as the sources print them (no rounding, interpolation or "
            "derived values). Built by scripts/build_datasets.py from the project's reference "
            "compilation (../shared/reference-data)."
        ),
        "description_zh_hant": (
            "研發經費（內地地區，億元人民幣，當年價格）及研發投入強度（佔本地生產總值百分比）長表，"
            "涵蓋2010-2024年（澳門自2001年、台灣自2009年）。國家統計局首次公布值與世界銀行數值並列，"
            "以 series 欄區分。數值照錄來源，不作四捨五入、插補或推算。"
        ),
        "latest_period": "2024",
        "date_accessed": DATE_ACCESSED,
        "licence": (
            "Mixed: World Bank WDI CC BY 4.0; NBS, C&SD and other official statistics reproduced "
            "with attribution; news-reported figures quoted with attribution."
        ),
        "licence_zh_hant": (
            "混合：世界銀行世界發展指標採用知識共享署名4.0國際許可協議；國家統計局、香港政府統計處及其他官方"
            "統計數字註明出處轉載；新聞報道的數字註明出處引用。"
        ),
        "sources": sources_of(rows) + NOTE_SOURCES["rd_intensity"],
        "columns": {
            "region_code": col("Code into regions.csv", "string"),
            "year": col("Reference year of the expenditure", "integer", "year"),
            "series": col(
                "nbs_first_release (NBS/MOST/MOF communique as first published; 2010 from the "
                "S&T yearbook), provincial_release (Guangdong's own communique), city_release "
                "(city communique or report), worldbank_wdi (WDI GB.XPD.RSDV.GD.ZS, UNESCO UIS), "
                "csd (HK Census and Statistics Department), oecd_msti_rounded (OECD MSTI values "
                "rounded to one decimal, via Visual Capitalist), national_release (Taiwan "
                "MOST/NSTC and related releases)",
                "string",
            ),
            "rd_expenditure_rmb_100m": col(
                "Gross R&D expenditure, mainland regions only; empty where not reported",
                "number",
                "RMB 100 million (億元), current prices",
            ),
            "rd_intensity_pct_gdp": col(
                "R&D expenditure as a share of GDP as printed by the source (first-release GDP "
                "for NBS)",
                "number",
                "percent of GDP",
            ),
            "is_series_break": col(
                "True on the first year of a new method: HK 2018 (C&SD), HK 2017 (World Bank, "
                "see caveats), GBR 2014",
                "boolean",
            ),
            "is_derived": col(
                "True if the value was derived rather than read (no such rows are kept)",
                "boolean",
            ),
            **PROVENANCE_COLUMNS,
            "note": col("Row-level remarks: revisions, conflicts, values left out", "string"),
        },
        "caveats": [
            "NBS first-release intensities use first-release GDP; later GDP revisions change "
            "them (World Bank China differs slightly, e.g. 2013: 1.998 WB vs 2.08 NBS). Both "
            "are kept; do not mix the two series in one line.",
            "Guangdong 2024: NBS prints 5,099.6 / 3.60, the provincial communique 5,099.61 / "
            "3.6. The article's 'over 5,100 億元' (C4) is corrected: the figure is just under "
            "5,100. The provincial communique's '+0.12 pp' implies a revised 2023 intensity of "
            "about 3.48% (vs 3.54% first published) after the 5th economic census; that implied "
            "value is not in the table.",
            "2024 provincial data: only the provinces named in the 2024 communique summary (BJ, "
            "TJ, SH, JS, ZJ, AH, SD, GD); Tianjin and Anhui without amounts, Shandong without "
            "intensity.",
            "2010 provincial figures come from the S&T yearbook (spend only; provincial "
            "intensities for 2010 not found), labelled nbs_first_release.",
            "Provincial sums match the national totals within ±0.3 亿元 (rounding) in every "
            "year 2010-2023 (checked by the build script).",
            "Hong Kong: from 2018 C&SD includes the implicit user cost of R&D facilities, so "
            "2018+ is not comparable with 2017 and earlier (C&SD 2017 recompiled = HK$22,213 "
            "m). The World Bank's 2017 value (0.835) matches the recompiled 2017 figure rather "
            "than the published 0.80, so in the World Bank series the break falls at 2017 "
            "(flagged there); C&SD's ratio series breaks at 2018.",
            "Hong Kong C&SD ratio for 2021 not found (World Bank 0.97 is available).",
            "Macao: World Bank only (MOP amounts not found). A 2009 '0.2% of GDP' claim (Macau "
            "Daily Times) conflicts with the World Bank's 0.054% and is excluded. A GASS paper's "
            "values for 2001/2008/2016/2018 agree with the World Bank.",
            "United Kingdom: values from 2014 reflect the ONS 2022 methodology revision (jump "
            "from ~1.6% to ~2.3%).",
            "GBA cities: sparse (city communiques largely not found). Shenzhen 2018's 1000 is "
            "the source's approximate '约1000亿元' (confidence unverified). Left out as derived: "
            "Shenzhen 2020 intensity (5.46 = 5.49 - 0.03), Shenzhen 2022 (amount ~1,881 "
            "implied; sz.gov.cn's 5.49% repeats 2021), Guangzhou 2023 amount (~1,043 implied). "
            "The 2019 city figures come from a summary of the Guangdong communique seen without "
            "a URL.",
            "Taiwan: secondary sources with different GDP vintages; 2018 (3.36 TIER vs 3.46 "
            "MOST) is unverified; 2022 (3.96) is derived and left out.",
            "oecd_msti_rounded (2023) values are rounded to one decimal and come from a "
            "secondary chart; compare with care against the three-decimal World Bank values. "
            "NBS quotes an OECD 2023 average of 2.73% (not included).",
            "World Bank vintage ~July 2025: most economies end in 2022 (Singapore 2020, "
            "Switzerland biennial); run scripts/refresh_worldbank.py for a newer vintage.",
        ],
        "caveats_zh_hant": [
            "國家統計局首次公布的強度以首次公布的國內生產總值計算，其後國內生產總值修訂會令數值改變；世界銀行的中國數值略有不同"
            "（例如2013年：世銀1.998，統計局2.08）。兩者並存，切勿混成一條線。",
            "廣東2024年：國家統計局公布5,099.6億元、3.60%，廣東省公報為5,099.61億元、3.6%。"
            "文章「突破5,100億元」（C4）需更正：實際略低於5,100億元。省公報「提高0.12個百分點」意味2023年"
            "強度經第五次經濟普查修訂後約為3.48%（首次公布3.54%），該推算值不列入表內。",
            "2024年分省數據只有公報摘要提及的省市（北京、天津、上海、江蘇、浙江、安徽、山東、廣東）；"
            "天津及安徽無金額，山東無強度。",
            "2010年分省數據取自科技統計年鑑（只有經費，未找到分省強度），列作國家統計局首次公布值。",
            "2010-2023年各年分省合計與全國總數相差不超過±0.3億元（四捨五入），已由建表程式核對。",
            "香港：統計處自2018年起把研發設施的隱含使用成本計入，2018年起數據不能與2017年及以前直接比較"
            "（2017年按新基礎重編為222.13億港元）。世界銀行2017年數值（0.835）與重編數字相符，故世銀序列的"
            "斷點在2017年；統計處比率序列的斷點在2018年。",
            "未找到香港統計處2021年的比率（世界銀行為0.97）。",
            "澳門：只有世界銀行數據（未找到澳門元金額）。有關2009年「佔本地生產總值0.2%」的說法（《澳門每日時報》）"
            "與世界銀行0.054%不符，不予採用。",
            "英國：2014年起的數值反映英國國家統計局2022年的方法修訂（由約1.6%跳升至約2.3%）。",
            "大灣區城市數據零散。深圳2018年的1000億元為來源所稱「約1000億元」（可信度：未核實）。以下推算值"
            "不列入：深圳2020年強度（5.49減0.03）、深圳2022年（推算約1,881億元）、廣州2023年金額（推算約"
            "1,043億元）。",
            "台灣：二手來源，國內生產總值版本不同；2018年（台灣經濟研究院3.36／科技部3.46）未核實；2022年（3.96）為推算值，"
            "不列入。",
            "經合組織主要科技指標（取整）2023年數值只保留一位小數，來自二手圖表，與世界銀行三位小數數值比較時需小心。",
            "世界銀行數據版本約為2025年7月，多數經濟體只到2022年。",
        ],
    }


def meta_hk_sector(rows: list[dict[str, str]]) -> dict:
    """Sidecar for hk_gerd_by_sector.csv."""
    return {
        "title": "Hong Kong gross domestic expenditure on R&D by performing sector",
        "title_zh_hant": "香港按執行機構類別劃分的本地研發總開支",
        "description": (
            "Hong Kong GERD in HK$ million, total and by performing sector (business, higher "
            "education, government), 2015-2024 where available, from C&SD table 207 and HKSAR "
            "press releases."
        ),
        "description_zh_hant": "香港本地研發總開支（百萬港元），按工商機構、高等教育機構及政府劃分，2015-2024年。",
        "latest_period": "2024",
        "date_accessed": DATE_ACCESSED,
        "licence": "C&SD official statistics reproduced with attribution; news reports quoted.",
        "licence_zh_hant": "政府統計處官方統計數字註明出處轉載；新聞報道註明出處引用。",
        "sources": sources_of(rows) + NOTE_SOURCES["hk_gerd_by_sector"],
        "columns": {
            "region_code": col("Always HK", "string"),
            "year": col("Reference year", "integer", "year"),
            "sector": col("total, business, higher_education or government", "string"),
            "gerd_hkd_million": col(
                "R&D expenditure performed by the sector", "number", "HK$ million, current prices"
            ),
            "is_series_break": col(
                "True for 2018, the first year including the implicit user cost of R&D facilities",
                "boolean",
            ),
            **PROVENANCE_COLUMNS,
            "note": col("Row-level remarks (revisions, rounding)", "string"),
        },
        "caveats": [
            "From 2018 C&SD includes the implicit user cost of R&D facilities: 2018+ is not "
            "comparable with 2017 and earlier (2017 recompiled on the new basis = HK$22,213 m).",
            "Higher-education R&D refers to July-June academic years.",
            "2021: total only (restated in the 2022 release). 2023: amount not found; the "
            "reference's ~HK$33.0 bn is derived from 2024 / 1.084 and is left out.",
            "HK$ amounts for 2010-2014 were not found; use the ratios in rd_intensity.csv.",
            "2019, 2020 and 2022 sectors differ from the total by HK$1 m or less (rounding).",
        ],
        "caveats_zh_hant": [
            "統計處自2018年起計入研發設施的隱含使用成本，2018年起數據不能與2017年及以前直接比較"
            "（2017年按新基礎重編為222.13億港元）。",
            "高等教育機構的研發開支以7月至翌年6月的學年計算。",
            "2021年只有總數；2023年未找到金額（約330億港元為推算值，不列入）。",
            "未找到2010-2014年的港元金額，請參考「各地區研發經費及研發投入強度」數據集的比率。",
            "2019、2020及2022年各類別合計與總數相差不超過100萬港元（四捨五入）。",
        ],
    }


def meta_crossborder(rows: list[dict[str, str]]) -> dict:
    """Sidecar for crossborder_funding.csv."""
    return {
        "title": "Cross-border research funding: dated milestones",
        "title_zh_hant": "科研資金跨境撥付：重要時間節點",
        "description": (
            "Dated milestones of mainland (central, Guangdong, Guangzhou, Shenzhen) research "
            "money flowing into Hong Kong and Macao since 2018: policies, first and single "
            "grants, cumulative totals (with 'over' marked as a lower bound), and a facility "
            "milestone, with the article's claims linked by claim_id (C-numbers of "
            "../shared/brief/article-figures.md)."
        ),
        "description_zh_hant": (
            "2018年以來內地（中央、廣東、廣州、深圳）科研資金流入港澳的重要時間節點：政策、首筆及單筆撥款、"
            "累計總額（「超過」標記為下限）及設施里程碑，並以 claim_id 連結文章的論點。"
        ),
        "latest_period": "2024-07",
        "date_accessed": DATE_ACCESSED,
        "licence": "News reports and official releases quoted with attribution.",
        "licence_zh_hant": "新聞報道及官方公布，註明出處引用。",
        "sources": sources_of(rows),
        "columns": {
            "event_id": col("Event id, CB01... in date order", "string"),
            "date": col(
                "ISO 8601 date at the precision known: YYYY, YYYY-MM or YYYY-MM-DD (kept as text)",
                "string",
            ),
            "date_precision": col("year, month or day", "string"),
            "is_date_inferred": col(
                "True where part of the date (the year) is inferred, not printed in the source",
                "boolean",
            ),
            "event_type": col(
                "policy, single_grant, first_batch, cumulative or facility_opening", "string"
            ),
            "payer": col("Who paid (or issued the rule)", "string"),
            "recipient": col("Who received the funds (or whom the rule covers)", "string"),
            "amount": col("Amount as stated; empty if none", "number", "see currency/amount_unit"),
            "currency": col("RMB, HKD, MOP, or empty", "string"),
            "amount_unit": col("million (empty when there is no amount)", "string"),
            "is_cumulative": col("True for a running total since the scheme began", "boolean"),
            "is_lower_bound": col("True where the source says 'over' (超過/逾)", "boolean"),
            "title_en": col("Short English title", "string"),
            "title_zh_hant": col("Short Traditional Chinese title", "string"),
            "description_en": col("English description", "string"),
            "description_zh_hant": col("Traditional Chinese description", "string"),
            **PROVENANCE_COLUMNS,
            "claim_id": col("C-number in article-figures.md, or empty", "string"),
            "note": col("Remarks (date inference, overlaps, what is not confirmed)", "string"),
        },
        "caveats": [
            "No year-by-year series of cross-border disbursements exists in the material "
            "searched: only cumulative milestones (> RMB 300 m by mid-2022, > RMB 460 m at a "
            "November briefing).",
            "The > RMB 460 m briefing (C15) is dated 6 November from its dateline; the year is "
            "inferred (most likely 2023) because the copy does not show it. The amount itself "
            "is confirmed.",
            "Unverified article figures kept for completeness: RMB 3.1696 m to HKUST on 30 July "
            "2019 (C13; a July 2019 grant is confirmed, not its amount) and RMB 560 m from other "
            "GBA cities into Hong Kong by June 2024 (C6).",
            "Amounts are in different currencies and scopes (central vs provincial vs city "
            "funds, cumulative vs single): do not add rows together. The HK$45 m HKUST total "
            "includes the RMB 38 m grant.",
            "The 2018-05 rows are central-government (MOST/MOF) funds, not Guangdong's.",
        ],
        "caveats_zh_hant": [
            "未找到逐年跨境撥付數據，只有累計里程碑（2022年年中超過3億元，11月通報超過4.6億元）。",
            "超過4.6億元的通報（C15）日期取自電頭「11月6日」，年份為推斷（很可能是2023年），金額已獲證實。",
            "文章中未經核實的數字亦予保留：2019年7月30日向香港科技大學撥付316.96萬元（C13；7月撥款屬實，金額未證實）"
            "及截至2024年6月5.6億元來自大灣區其他城市的科研資金過境到香港（C6）。",
            "各行金額的貨幣及範圍不同（中央、省、市資金；累計或單筆），不可相加。科大逾4,500萬港元已包括3,800萬元人民幣。",
            "2018年5月兩行屬中央（科技部、財政部）資金，並非廣東資金。",
        ],
    }


def meta_shared_facilities(rows: list[dict[str, str]]) -> dict:
    """Sidecar for shared_facilities.csv."""
    return {
        "title": "Shared use of big science facilities by Hong Kong and Macao researchers",
        "title_zh_hant": "港澳科研人員共享大科學裝置",
        "description": (
            "Figures the article gives for the China Spallation Neutron Source (Dongguan) and "
            "the Nansha sub-centre of the National Supercomputing Center in Guangzhou (claims "
            "C9-C12). No independent source was found for any of them."
        ),
        "description_zh_hant": "文章所載中國散裂中子源及國家超算廣州中心南沙分中心服務港澳科研的數字（C9-C12），均未找到獨立來源。",
        "latest_period": "2025",
        "date_accessed": DATE_ACCESSED,
        "licence": "Newspaper article; figures quoted with attribution.",
        "licence_zh_hant": "報章文章；數字註明出處引用。",
        "sources": sources_of(rows),
        "columns": {
            "facility_code": col("Facility code", "string"),
            "facility_en": col("Facility name, English", "string"),
            "facility_zh_hant": col("Facility name, Traditional Chinese", "string"),
            "metric": col(
                "core_hours, research_teams, experiments, user_share_pct or papers", "string"
            ),
            "value": col("Value as stated", "number", "see unit"),
            "unit": col("Unit of value", "string"),
            "as_of": col("Date the figure refers to (YYYY, YYYY-MM or YYYY-MM-DD)", "date"),
            "is_lower_bound": col("True where the article says 'over' (超過)", "boolean"),
            **PROVENANCE_COLUMNS,
            "claim_id": col("C-number in article-figures.md", "string"),
            "note": col("Original wording and remarks", "string"),
        },
        "caveats": [
            "All figures are the article's own (confidence unverified).",
            "The CSNS figures carry no date in the article; as_of is the article's year (2025).",
            "'超過10%的港澳用戶' is ambiguous; read as the share of CSNS users from Hong Kong "
            "and Macao.",
            "The 230 teams include overseas teams, not only Hong Kong and Macao.",
            "CSNS phase II (construction from July 2024, completion planned August 2026, C18) "
            "is in crossborder_funding.csv as a facility milestone.",
        ],
        "caveats_zh_hant": [
            "所有數字均來自文章（可信度：未核實）。",
            "文章未註明中國散裂中子源數字的日期，數據日期以文章年份（2025年）表示。",
            "「超過10%的港澳用戶」字義含糊，理解為港澳用戶佔散裂中子源用戶的比例。",
            "230個團隊包括海外團隊，不只港澳。",
            "散裂中子源二期工程（2024年7月開工，計劃2026年8月竣工，C18）列於「科研資金跨境撥付」數據集。",
        ],
    }


def meta_targets(rows: list[dict[str, str]]) -> dict:
    """Sidecar for targets.csv."""
    return {
        "title": "Policy targets for R&D",
        "title_zh_hant": "研發政策目標",
        "description": (
            "Quantified R&D targets from plans, so reports compare outcomes with targets read "
            "from data: Guangdong's 14th Five-Year Plan for S&T innovation (Sept 2021)."
        ),
        "description_zh_hant": "規劃中的量化研發目標：《廣東省科技創新「十四五」規劃》（2021年9月）。",
        "latest_period": "2025",
        "date_accessed": DATE_ACCESSED,
        "licence": "Quoted figures with attribution.",
        "licence_zh_hant": "所引數字註明出處。",
        "sources": sources_of(rows),
        "columns": {
            "target_id": col("Unique id", "string"),
            "region_code": col("Code into regions.csv", "string"),
            "indicator": col(
                "What is targeted: rd_intensity_pct_gdp, rd_expenditure_growth_pct_per_year, "
                "basic_research_share_pct_rd",
                "string",
            ),
            "target_value": col("Target level", "number", "see unit"),
            "unit": col("Unit of target_value", "string"),
            "target_year": col("Year by which the target applies", "integer", "year"),
            "is_lower_bound": col("True where the plan says 'at least' (>=)", "boolean"),
            "plan_en": col("Plan, English", "string"),
            "plan_zh_hant": col("Plan, Traditional Chinese", "string"),
            "announced": col("When the plan was issued (YYYY-MM)", "string"),
            **PROVENANCE_COLUMNS,
            "note": col("Wording as summarised by the source", "string"),
        },
        "caveats": [
            "Read in a secondary summary (AmCham South China 2023 White Paper, p.368), not in "
            "the plan itself.",
        ],
        "caveats_zh_hant": ["數字取自二手摘要（華南美國商會2023年白皮書第368頁），並非規劃原文。"],
    }


def meta_exchange_rates(rows: list[dict[str, str]]) -> dict:
    """Sidecar for exchange_rates.csv."""
    return {
        "title": "Currency pairs stated by sources",
        "title_zh_hant": "來源所載貨幣換算",
        "description": (
            "Amounts a source gives in two currencies, so a report can convert without "
            "inventing a rate. Only source-stated pairs; no official rate is in the reference "
            "compilation."
        ),
        "description_zh_hant": "來源同時以兩種貨幣列出的金額，供報告換算之用，不自行假設匯率。",
        "latest_period": "2019-08",
        "date_accessed": DATE_ACCESSED,
        "licence": "Quoted figures with attribution.",
        "licence_zh_hant": "所引數字註明出處。",
        "sources": sources_of(rows),
        "columns": {
            "rate_id": col("Unique id", "string"),
            "date": col("Date of the pair (YYYY, YYYY-MM or YYYY-MM-DD)", "string"),
            "base_currency": col("Currency of base_amount (RMB, HKD, MOP)", "string"),
            "quote_currency": col("Currency of quote_amount", "string"),
            "base_amount": col("Amount in base currency", "number", "million"),
            "quote_amount": col("The same amount in quote currency", "number", "million"),
            "rate_type": col("official or implied_from_source_pair", "string"),
            **PROVENANCE_COLUMNS,
            "note": col("Remarks", "string"),
        },
        "caveats": [
            "The RMB 38 m = HK$42.27 m pair is SCMP's conversion (implied rate about 1.11 HKD "
            "per RMB), not an official rate; say so wherever it is used.",
        ],
        "caveats_zh_hant": [
            "人民幣3,800萬元＝4,227萬港元為《南華早報》的換算，並非官方匯率，引用時須註明。"
        ],
    }


def meta_sources() -> dict:
    """Sidecar for sources.csv."""
    return {
        "title": "Source catalogue",
        "title_zh_hant": "資料來源目錄",
        "description": (
            "One row per distinct source cited by the curated tables (source_id is what every "
            "data row's source_id refers to). The figures were compiled from the project's "
            "reference compilation (../shared/reference-data, whose NOTES give the evidence); "
            "date_accessed is the date the project compiled them (2026-11-29) because the "
            "compiler's original access dates are unrecorded. Rows with ids prefixed gii- and "
            "article- are maintained with the GII and article-claims tables."
        ),
        "description_zh_hant": "各表引用的資料來源，每個來源一行。date_accessed 為本項目整理數據的日期（原始查閱日期未有記錄）。",
        "latest_period": "2026-01",
        "date_accessed": DATE_ACCESSED,
        "licence": "Catalogue: MIT with the project; each source's own terms in licence_note.",
        "licence_zh_hant": "目錄隨本項目以麻省理工學院許可證發布；各來源本身的條款見其授權說明。",
        "sources": [],
        "columns": {
            "source_id": col("Unique id (lowercase, hyphenated)", "string"),
            "publisher": col("Publisher or author", "string"),
            "title": col("Title of the publication, table or article", "string"),
            "url": col("URL (official page, or the copy actually read); may be empty", "string"),
            "date_accessed": col(
                "Date the figures were compiled for this project", "date", "ISO date"
            ),
            "licence_note": col("Licence or terms of reuse", "string"),
            "note": col("What the source gives; copies and mirrors used", "string"),
            "publisher_zh_hant": col(
                "Publisher in Traditional Chinese (shown in the zh-Hant reports); required",
                "string",
            ),
            "title_zh_hant": col(
                "Title in Traditional Chinese (Chinese originals in Traditional characters, "
                "English titles translated); required",
                "string",
            ),
            "licence_note_zh_hant": col("licence_note in Traditional Chinese", "string"),
        },
        "caveats": [
            "Several URLs are copies or mirrors of official releases (noted per row); official "
            "originals were not all reachable.",
            "date_accessed is the project's compilation date, not the date each page was read.",
        ],
        "caveats_zh_hant": [
            "部分網址為官方公布的轉載或鏡像（逐行註明）。",
            "各來源的整理日期為本項目整理數據的日期，並非每個網頁的實際查閱日期。",
        ],
    }


# ============================================================================================
# Main
# ============================================================================================
COLUMNS = {
    "regions": [
        "region_code",
        "region_type",
        "name_en",
        "name_zh_hant",
        "parent_code",
        "is_gba",
        "note",
    ],
    "rd_intensity": [
        "region_code",
        "year",
        "series",
        "rd_expenditure_rmb_100m",
        "rd_intensity_pct_gdp",
        "is_series_break",
        "is_derived",
        "source_id",
        "confidence",
        "note",
    ],
    "hk_gerd_by_sector": [
        "region_code",
        "year",
        "sector",
        "gerd_hkd_million",
        "is_series_break",
        "source_id",
        "confidence",
        "note",
    ],
    "crossborder_funding": [
        "event_id",
        "date",
        "date_precision",
        "is_date_inferred",
        "event_type",
        "payer",
        "recipient",
        "amount",
        "currency",
        "amount_unit",
        "is_cumulative",
        "is_lower_bound",
        "title_en",
        "title_zh_hant",
        "description_en",
        "description_zh_hant",
        "source_id",
        "confidence",
        "claim_id",
        "note",
    ],
    "shared_facilities": [
        "facility_code",
        "facility_en",
        "facility_zh_hant",
        "metric",
        "value",
        "unit",
        "as_of",
        "is_lower_bound",
        "source_id",
        "confidence",
        "claim_id",
        "note",
    ],
    "sources": [
        "source_id",
        "publisher",
        "title",
        "url",
        "date_accessed",
        "licence_note",
        "note",
        *ZH_COLUMNS,
    ],
    "targets": [
        "target_id",
        "region_code",
        "indicator",
        "target_value",
        "unit",
        "target_year",
        "is_lower_bound",
        "plan_en",
        "plan_zh_hant",
        "announced",
        "source_id",
        "confidence",
        "note",
    ],
    "exchange_rates": [
        "rate_id",
        "date",
        "base_currency",
        "quote_currency",
        "base_amount",
        "quote_amount",
        "rate_type",
        "source_id",
        "confidence",
        "note",
    ],
}


def main(argv: list[str] | None = None) -> int:
    """Build every table; print the checks made."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", nargs="?", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "data")
    args = parser.parse_args(argv)
    ref, out = args.reference, args.out
    check(ref.is_dir(), f"reference folder not found: {ref}")
    out.mkdir(parents=True, exist_ok=True)

    regions = build_regions()
    rd, checks = build_rd_intensity(ref)
    hk, hk_checks = build_hk_gerd_by_sector(ref)
    cb = build_crossborder(ref)
    sf = build_shared_facilities()

    codes = {r["region_code"] for r in regions}
    for r in rd:
        check(r["region_code"] in codes, f"unknown region {r['region_code']}")
    source_ids = {s["source_id"] for s in SOURCES}
    for table in (rd, hk, cb, sf, TARGETS, EXCHANGE_RATES):
        for sid in sources_of([r for r in table if r["source_id"]]):
            check(sid in source_ids, f"source id {sid} not in the catalogue")

    outputs = {
        "regions": (regions, meta_regions(regions)),
        "rd_intensity": (rd, meta_rd_intensity(rd)),
        "hk_gerd_by_sector": (hk, meta_hk_sector(hk)),
        "crossborder_funding": (cb, meta_crossborder(cb)),
        "shared_facilities": (sf, meta_shared_facilities(sf)),
        "targets": (TARGETS, meta_targets(TARGETS)),
        "exchange_rates": (EXCHANGE_RATES, meta_exchange_rates(EXCHANGE_RATES)),
    }
    for name, (rows, meta) in outputs.items():
        write_csv(out / f"{name}.csv", COLUMNS[name], rows)
        write_meta(out / f"{name}.meta.yml", meta)
        print(f"wrote data/{name}.csv ({len(rows)} rows)")

    # sources.csv is shared: re-read right before writing, keep rows we did not write.
    sources_path = out / "sources.csv"
    existing = read_csv(sources_path) if sources_path.exists() else []
    merged = build_sources(existing)
    write_csv(sources_path, COLUMNS["sources"], merged)
    meta_path = out / "sources.meta.yml"
    meta = meta_sources()
    meta["sources"] = [r["source_id"] for r in merged]
    write_meta(meta_path, meta)
    foreign = [r for r in merged if r["source_id"] not in source_ids]
    print(f"wrote data/sources.csv ({len(merged)} rows, {len(foreign)} of them written by others)")

    for line in checks + hk_checks:
        print("check:", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
