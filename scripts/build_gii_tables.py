# ruff: noqa: E501
"""One-off compile step: build the GII tables in data/ from ../shared/reference-data.

Reads gii_cluster_rankings.csv, gii_cluster_rank_history.csv, gii_cluster_counts_by_economy.csv
and gii_economy_ranks.csv (compiled for this project from public pages; see
../shared/reference-data/NOTES-gii-clusters.md) and writes data/clusters.csv,
data/gii_cluster_ranks.csv, data/gii_economy_ranks.csv, data/gii_clusters_per_economy.csv.
Values are copied as written in the reference data (never rounded). The source catalogue rows
for the ids used here are in GII_SOURCES (appended to data/sources.csv by --sources).

Usage: .venv/bin/python scripts/build_gii_tables.py [--reference DIR] [--sources]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sources_zh_hant import zh_fields  # noqa: E402  (scripts/sources_zh_hant.py)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference-data"
ACCESSED = "2026-11-29"

CONFIDENCE = {
    "verified-in-source": "verified",
    "secondary-source": "secondary",
    "uncertain": "unverified",
}
ORDER = {"verified": 0, "secondary": 1, "unverified": 2}

# url (as written in the reference data) -> (source_id, publisher, title)
GII_SOURCES: dict[str, tuple[str, str, str]] = {
    "https://www.wipo.int/en/web/global-innovation-index/w/blogs/2025/revisiting-the-2025-gii-ranking-of-world-s-top-100-innovation-clusters": (
        "gii-wipo-blog-2025",
        "WIPO",
        "Revisiting the 2025 GII ranking of world's top 100 innovation clusters (GII blog, 2 Oct 2025)",
    ),
    "https://wipo.int/web-publications/global-innovation-index-2024/en/appendix-iv-global-innovation-index-science-and-technology-cluster-methodology.html": (
        "gii-wipo-appendix-iv-2024",
        "WIPO",
        "Global Innovation Index 2024, Appendix IV: Science and technology cluster methodology",
    ),
    "https://scribd.com/document/722616349/wipo-pub-2000-2023-en-main-report-global-innovation-index-2023-16th-edition-2": (
        "gii-wipo-report-2023-scribd",
        "WIPO (copy on Scribd)",
        "Global Innovation Index 2023, 16th edition, main report (rankings table p.19)",
    ),
    "http://en.people.cn/n3/2025/0901/c90000-20360643.html": (
        "gii-xinhua-people-2025",
        "Xinhua via People's Daily Online",
        "Shenzhen-Hong Kong-Guangzhou cluster tops WIPO ranking for the first time (1 Sep 2025)",
    ),
    "http://www.spacedaily.com/afp/250901070023.do1gv8te.html": (
        "gii-afp-spacedaily-2025",
        "AFP via SpaceDaily",
        "GII 2025 innovation cluster ranking report (1 Sep 2025)",
    ),
    "https://spacedaily.com/reports/Tokyo-Yokohama_still_worlds_top_science-tech_cluster_UN_999.html": (
        "gii-afp-spacedaily-2024",
        "AFP via SpaceDaily",
        "Tokyo-Yokohama still world's top science-tech cluster: UN (2024)",
    ),
    "https://reportify.cn/news/1160744754296786944": (
        "gii-yicai-reportify-2025",
        "Yicai (第一财经) summary on Reportify",
        "Macao–Zhuhai cluster rises two places to 98th (3 Sep 2025)",
    ),
    "https://reportify.cn/news/1159943663309164544": (
        "gii-21cbh-reportify-2025",
        "21st Century Business Herald (21世纪经济报道) summary on Reportify",
        "GII 2025 cluster VC-deal shares",
    ),
    "http://webtrader.xmlvo.biz/html/78a7999842.html": (
        "gii-zhuhai-macao-mirror-2025",
        "Zhuhai/Macao local report (mirror)",
        "Macao–Zhuhai innovation cluster in the global top 100 for the second consecutive time",
    ),
    "https://www.yicaiglobal.com/news/shenzhen-hong-kong-guangzhou-tops-wipos-sci-tech-cluster-list-as-vc-deal-metric-is-added": (
        "gii-yicaiglobal-2025",
        "Yicai Global",
        "Shenzhen-Hong Kong-Guangzhou tops WIPO's sci-tech cluster list as VC deal metric is added",
    ),
    "https://rapmd.net/NHAI/17567110680000000.html": (
        "gii-rapmd-2025",
        "rapmd.net (news copy)",
        "GII 2025 top innovation clusters, ranks 6-15 and method",
    ),
    "https://www.chinadailyasia.com/article/619010": (
        "gii-chinadailyasia-2025",
        "China Daily Asia",
        "GII 2025 innovation cluster ranking",
    ),
    "https://www.techjuice.pk/chinese-cities-tops-wipo-2025-innovation-index/": (
        "gii-techjuice-2025",
        "TechJuice",
        "Chinese cities top WIPO 2025 innovation index",
    ),
    "https://networkofcenters.net/node/43596": (
        "gii-networkofcenters-2025",
        "Network of Centers",
        "GII 2025 innovation cluster ranks (regional coverage)",
    ),
    "http://kimbellardblog.blogspot.com/2025/09": (
        "gii-kimbellard-blog-2025",
        "Kim Bellard (blog)",
        "Blog posts, September 2025 (GII 2025 clusters)",
    ),
    "https://jp-home.com/article_show.asp?aid=148685": (
        "gii-jphome-2025",
        "jp-home.com",
        "GII 2025 Japanese cluster ranks",
    ),
    "https://www.mondaq.com/china/trademark/1682938/": (
        "gii-mondaq-cnipa-2025",
        "Mondaq (CNIPA release)",
        "China has 24 of the world's top 100 innovation clusters (GII 2025)",
    ),
    "https://huacheng.gz-cmc.com/pages/2025/09/02/335c19f0f23547048f55eeb4d943d1c2.html": (
        "gii-huacheng-2025",
        "花城+ (Guangzhou Daily)",
        "GII 2025 cluster counts by economy (2 Sep 2025)",
    ),
    "https://www.qqdbkk.cn/html_5/quanqiudaxue/715/list/3.html": (
        "gii-qqdbkk-blog-2025",
        "qqdbkk.cn (blog)",
        "GII 2025 Beijing PCT share",
    ),
    "https://www.top168.com/news/show-78599.html": (
        "gii-ithome-top168-2024",
        "IT之家 (copy on top168.com)",
        "GII 2024 top 15 science and technology clusters",
    ),
    "https://meetinghk.com/?p=184815": (
        "gii-meetinghk-2024",
        "meetinghk.com",
        "GII 2024 science and technology clusters",
    ),
    "https://sxconnet.com/index.php/post/1836.html": (
        "gii-nanjing-gov-sxconnet-2024",
        "Nanjing government news (copy on sxconnet.com)",
        "Nanjing 9th among global S&T clusters (GII 2024)",
    ),
    "https://kjj.wuhan.gov.cn/xwzx_8/kjspxw/202408/t20240829_2447399.html": (
        "gii-wuhan-kjj-2024",
        "Wuhan Science and Technology Bureau",
        "Wuhan 13th among global S&T clusters (GII 2024)",
    ),
    "https://patentrenewal.com/post/top-15-science-and-technology-clusters-of-2024-globally": (
        "gii-patentrenewal-2024",
        "patentrenewal.com",
        "Top 15 science and technology clusters of 2024 globally",
    ),
    "https://bairuiip.com/NewsDetail.aspx?aid=1234&scroll=visionDetail": (
        "gii-bairuiip-2024",
        "bairuiip.com",
        "GII 2024 cluster counts by economy",
    ),
    "https://www.visualcapitalist.com/the-top-50-science-and-technology-hubs/": (
        "gii-visualcapitalist-2023",
        "Visual Capitalist",
        "Mapping the world's top 50 science and technology hubs (GII 2023)",
    ),
    "https://zerohedge.mirtesen.ru/blog/43942477876/Mapping-The-World-s-Top-50-Science-And-Technology-Hubs": (
        "gii-visualcapitalist-mirror-2023",
        "zerohedge (mirtesen mirror of Visual Capitalist)",
        "Mapping the world's top 50 science and technology hubs (mirror)",
    ),
    "https://techchannel.news/?p=7011": (
        "gii-techchannel-2023",
        "techchannel.news",
        "GII 2023 science and technology cluster ranking",
    ),
    "http://203.198.47.105:8089/docDetail.jsp?channel=2803&id=100480217": (
        "gii-hknewsnet-2023",
        "HK News Net (香港新聞網)",
        "GII 2023 intensity figures for Shenzhen–Hong Kong–Guangzhou",
    ),
    "https://investinchina.chinadaily.com.cn/s/202210/27/WS635a4cba498ea274927a6c73/top-10-global-science-and-technology-clusters.html": (
        "gii-chinadaily-2022",
        "China Daily (Invest in China)",
        "Top 10 global science and technology clusters (GII 2022)",
    ),
    "https://www.globaltimes.cn/page/202209/1275297.shtml": (
        "gii-globaltimes-2022",
        "Global Times",
        "GII 2022 science and technology clusters",
    ),
    "https://www.ccpitjs.org/art/2022/9/26/art_1903_41577.html": (
        "gii-ccpitjs-2022",
        "CCPIT Jiangsu",
        "Nanjing rises to 13th among global S&T clusters (GII 2022)",
    ),
    "https://english.cnipa.gov.cn/art/2021/9/29/art_2509_170494.html": (
        "gii-cnipa-2021",
        "China National Intellectual Property Administration (CNIPA)",
        "GII 2021 science and technology clusters (29 Sep 2021)",
    ),
    "https://www.thedigitimes.com/2021/09/global-innovation-index-2021.html": (
        "gii-digitimes-2021",
        "The Digital Times",
        "Global Innovation Index 2021",
    ),
    "http://csptal.com/cms/newarticle/2305": (
        "gii-csptal-2020",
        "csptal.com",
        "GII 2020 top science and technology clusters",
    ),
    "http://hnwzzzx.com/index.php/gd/2655.html": (
        "gii-hnwzzzx-2020",
        "hnwzzzx.com",
        "Shenzhen–Hong Kong–Guangzhou keeps 2nd place after merger (GII 2020)",
    ),
    "https://wordp-appli-oeiffwjv3h0b-1837223528.ap-south-1.elb.amazonaws.com/china-ranks-14th-in-global-innovation-index-only-middle-income-economy-in-top-30/": (
        "gii-china14th-mirror-2020",
        "news mirror (amazonaws host)",
        "China ranks 14th in Global Innovation Index, only middle-income economy in top 30 (2020)",
    ),
    "https://investnj.org.cn/news/nanjing-is-among-top-30-globally": (
        "gii-investnj-2020",
        "Invest Nanjing",
        "Nanjing is among top 30 globally (GII 2020)",
    ),
    "http://zt.cncn.org.cn/2019/icis/news/15647329554819.html": (
        "gii-cjrb-cncn-2019",
        "长江日报 (copy on zt.cncn.org.cn)",
        "GII 2019 cluster ranks: Shenzhen–Hong Kong 2nd, Beijing 4th, Shanghai 11th",
    ),
    "https://chinaplus.cri.cn/news/business/12/20190725/321512.html": (
        "gii-cri-2019",
        "China Radio International (China Plus)",
        "GII 2019 (25 Jul 2019)",
    ),
    "https://www.olartemoure.com/en/top-10-worldwide-science-and-technology-hotspots/": (
        "gii-olartemoure-2018",
        "Olarte Moure",
        "Top 10 worldwide science and technology hotspots (GII 2018)",
    ),
    "https://allegropat.com/tokyo-yokohama-rank-top-inventive/": (
        "gii-allegropat-2017",
        "AllegroPat",
        "Tokyo-Yokohama ranks top inventive cluster (GII 2017)",
    ),
    "http://egg.5ch.net/test/read.cgi/bizplus/1496230760/48-147": (
        "gii-ft-joongang-5ch-2017",
        "Financial Times / JoongAng reporting, reposted on 5ch",
        "GII 2017 cluster PCT filing counts (repost)",
    ),
    "https://zeenews.india.com/photos/world/global-innovation-index-2025-india-climbs-28-spots-check-top-ranked-nations-3012090": (
        "gii-zeenews-2025",
        "Zee News",
        "Global Innovation Index 2025: top-ranked nations",
    ),
    "https://www.kmu.admin.ch/kmu/en/home/new/news/2025/switzerland-world-most-innovative-country.html": (
        "gii-seco-kmu-2025",
        "SECO (kmu.admin.ch)",
        "Switzerland remains the world's most innovative country (2025)",
    ),
    "https://www.wionews.com/photos/global-innovation-index-2025-us-and-china-in-top-10-know-who-topped-the-list-1758117400739": (
        "gii-wionews-2025",
        "WION",
        "Global Innovation Index 2025: US and China in top 10",
    ),
    "https://www.kobe-np.co.jp/news/zenkoku/compact/202509/0019480352.shtml": (
        "gii-kyodo-kobenp-2025",
        "Kyodo via Kobe Shimbun",
        "GII 2025: Japan 12th (Sep 2025)",
    ),
    "https://hongkong-bs.com/topics/20250917": (
        "gii-hongkongbs-2025",
        "hongkong-bs.com",
        "GII 2025 economy ranks (17 Sep 2025)",
    ),
    "https://news.anyfans.com/hong-kong-climbs-3-spots-to-no-15-in-global-innovation-index": (
        "gii-scmp-anyfans-2025",
        "SCMP report via anyfans",
        "Hong Kong climbs 3 spots to No 15 in Global Innovation Index",
    ),
    "https://businessday.ng/news/article/the-worlds-top-10-innovative-countries-in-2024/": (
        "gii-businessday-2024",
        "BusinessDay (Nigeria)",
        "The world's top 10 innovative countries in 2024",
    ),
    "https://cpahkltd.com/index.php?c=show&id=105089": (
        "gii-cpahk-2024",
        "CPA HK",
        "Global Innovation Index 2024 economy ranks",
    ),
    "https://www.truescoopnews.com/stories/top-most-innovative-countries-world": (
        "gii-truescoop-2024",
        "TrueScoop News",
        "Top most innovative countries in the world (2024)",
    ),
    "(Romanian news item citing visualcapitalist.com GII 2024 top-20 scores; URL not available)": (
        "gii-romanian-copy-2024",
        "Romanian news item citing visualcapitalist.com (URL not available)",
        "GII 2024 top-20 economy scores",
    ),
    "https://cpahkltd.com/index.php?c=show&id=4763": (
        "gii-cpahk-2022",
        "CPA HK",
        "Global Innovation Index 2022 economy ranks",
    ),
    "https://sofokleous10.gr/2022/10/18/the-worlds-most-innovative-countries-infographic-2/": (
        "gii-sofokleous10-2022",
        "sofokleous10.gr",
        "The world's most innovative countries (infographic, 2022)",
    ),
    "https://weforum.org/agenda/2021/09/worlds-most-innovative-countries-innovation": (
        "gii-wef-2021",
        "World Economic Forum",
        "The world's most innovative countries (Sep 2021)",
    ),
    "https://technologistconfidant.com/post/the-world-most-innovative-countries": (
        "gii-technologistconfidant-2021",
        "technologistconfidant.com",
        "The world's most innovative countries (2021)",
    ),
    "https://news.frontierafricareports.com/article/these-are-the-global-innovation-powerhouses-of-2021": (
        "gii-frontierafrica-2021",
        "Frontier Africa Reports",
        "These are the global innovation powerhouses of 2021",
    ),
    "https://ritholtz.com/2021/03/which-are-the-worlds-most-innovative-countries/": (
        "gii-ritholtz-2021",
        "The Big Picture (Ritholtz), reposting Visual Capitalist",
        "Which are the world's most innovative countries? (GII 2020)",
    ),
    "https://www.chinadaily.com.cn/a/202011/19/WS5fb5a2c2a31024ad0ba95008_1.html": (
        "gii-chinadaily-2020",
        "China Daily",
        "GII 2020 economy ranks (19 Nov 2020)",
    ),
    "https://ebookshelf.hkust.edu.hk/flippingbook/G22684/10": (
        "gii-hkust-ebook-2020",
        "HKUST e-bookshelf",
        "Publication citing GII 2020 (Hong Kong 11th)",
    ),
    "https://newser.com/story/278300/the-10-most-innovative-nations-plus-china.html": (
        "gii-newser-2019",
        "Newser",
        "The 10 most innovative nations, plus China (2019)",
    ),
    "https://www.fthours.com/post/innovation-improves-worldwide-but-inequalities-remain": (
        "gii-fthours-insead-2019",
        "fthours.com (INSEAD release)",
        "Innovation improves worldwide but inequalities remain (GII 2019)",
    ),
    # methodology sources (NOTES-gii-clusters.md section 4)
    "https://www.scidev.net/global/news/innovation-ranking-reveals-global-divide/": (
        "gii-scidev-2017",
        "SciDev.Net",
        "Innovation ranking reveals global divide (2017)",
    ),
    "https://fdocuments.net/document/working-paper-34-web-patents-protect-inventions-that-are-new-involve-an-inventive.html": (
        "gii-wipo-wp34-copy",
        "WIPO Economic Research Working Paper 34 (Bergquist, Fink, Raffo), copy on fdocuments.net",
        "Identifying and ranking the world's largest clusters of inventive activity",
    ),
    "http://www.conicit.go.cr/biblioteca/cipcyt/servicio_alerta/alertas/Alerta-45.aspx": (
        "gii-conicit-2018",
        "CONICIT Costa Rica (quoting the GII 2018 report)",
        "Alerta 45: Global Innovation Index 2018",
    ),
    "https://www.fxbaogao.com/detail/5046156": (
        "gii-fxbaogao-2025",
        "fxbaogao.com (copy of WIPO GII 2025 report text)",
        "Global Innovation Index 2025 report text (Appendix IV Table 2 mentioned)",
    ),
    "https://inngot.com/news-views/gii-2025-ranking-of-the-world-s-top-innovation-clusters-china-and-us-have-most-clusters-followed-by-germany-india-and-the-uk": (
        "gii-inngot-2025",
        "Inngot",
        "GII 2025 ranking of the world's top innovation clusters",
    ),
}

# English name (as in the reference files) -> (code, current English name, Traditional Chinese, economy codes, is_gba)
CLUSTERS: list[tuple[str, str, str, str, bool]] = [
    (
        "shenzhen_hong_kong_guangzhou",
        "Shenzhen–Hong Kong–Guangzhou",
        "深圳—香港—廣州",
        "CN/HK",
        True,
    ),
    ("tokyo_yokohama", "Tokyo–Yokohama", "東京—橫濱", "JP", False),
    ("san_jose_san_francisco", "San Jose–San Francisco", "聖荷西—舊金山", "US", False),
    ("beijing", "Beijing", "北京", "CN", False),
    ("seoul", "Seoul", "首爾", "KR", False),
    ("shanghai_suzhou", "Shanghai–Suzhou", "上海—蘇州", "CN", False),
    ("new_york_city", "New York City", "紐約", "US", False),
    ("london", "London", "倫敦", "GB", False),
    ("boston_cambridge", "Boston–Cambridge", "波士頓—劍橋", "US", False),
    ("los_angeles", "Los Angeles", "洛杉磯", "US", False),
    ("osaka_kobe_kyoto", "Osaka–Kobe–Kyoto", "大阪—神戶—京都", "JP", False),
    ("paris", "Paris", "巴黎", "FR", False),
    ("hangzhou", "Hangzhou", "杭州", "CN", False),
    ("san_diego", "San Diego", "聖地牙哥", "US", False),
    ("nanjing", "Nanjing", "南京", "CN", False),
    ("wuhan", "Wuhan", "武漢", "CN", False),
    ("nagoya", "Nagoya", "名古屋", "JP", False),
    ("washington_dc_baltimore", "Washington, DC–Baltimore", "華盛頓—巴爾的摩", "US", False),
    ("daejeon", "Daejeon", "大田", "KR", False),
    (
        "singapore",
        "Singapore (cross-border cluster shared with Malaysia)",
        "新加坡（與馬來西亞共有的跨境集群）",
        "SG/MY",
        False,
    ),
    ("bengaluru", "Bengaluru", "班加羅爾", "IN", False),
    ("barcelona", "Barcelona", "巴塞隆拿", "ES", False),
    ("madrid", "Madrid", "馬德里", "ES", False),
    ("sao_paulo", "São Paulo", "聖保羅", "BR", False),
    ("istanbul", "Istanbul", "伊斯坦布爾", "TR", False),
    ("tehran", "Tehran", "德黑蘭", "IR", False),
    ("dublin", "Dublin", "都柏林", "IE", False),
    ("mexico_city", "Mexico City", "墨西哥城", "MX", False),
    ("cairo", "Cairo", "開羅", "EG", False),
    ("oslo", "Oslo", "奧斯陸", "NO", False),
    ("kuala_lumpur", "Kuala Lumpur", "吉隆坡", "MY", False),
    ("ningbo", "Ningbo", "寧波", "CN", False),
    ("macao_zhuhai", "Macao–Zhuhai", "澳門—珠海", "CN/MO", True),
    ("ningde", "Ningde", "寧德", "CN", False),
]
# names used for a cluster in some editions -> cluster code
ALIASES = {
    "Shenzhen–Hong Kong": "shenzhen_hong_kong_guangzhou",
    "Shanghai": "shanghai_suzhou",
    "New York": "new_york_city",
}

ECONOMY_ISO3 = {
    "Switzerland": "CHE",
    "United States": "USA",
    "Republic of Korea": "KOR",
    "China": "CHN",
    "Japan": "JPN",
    "Hong Kong, China": "HKG",
}

# Ranks worked back from a later edition's move ("up two places to 98th") are inferred.
INFERRED = re.compile(r"INFERRED|back-derived|worked back")


# Conflicts recorded in NOTES-gii-clusters.md but not in the CSVs: (edition, code) -> note added.
CONFLICT_NOTES = {
    (2023, "nanjing"): (
        "conflict: a Xinhua-syndicated English piece says Nanjing went 'from 12th to 9th' "
        "(2023 = 12); Nanjing government news says up 2 places (2023 = 11); 11 kept"
    ),
}


def source_ids(text: str) -> str:
    """Map the ' ; '-joined URLs of a reference row to ';'-joined source ids."""
    ids = []
    for url in (u.strip() for u in text.split(" ; ")):
        if url:
            ids.append(GII_SOURCES[url][0])
    return ";".join(dict.fromkeys(ids))


def cluster_code(name: str) -> str:
    """Cluster code of a name as written in the reference data."""
    for code, en, *_ in CLUSTERS:
        if en == name:
            return code
    return ALIASES[name]


def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    """Write rows with a fixed header (UTF-8, LF line ends, minimal quoting)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in header})


def build_ranks(ref: Path) -> list[dict]:
    """Merge the rankings file and the rank-history file: one row per edition x cluster."""
    rows: dict[tuple[int, str], dict] = {}
    for r in csv.DictReader((ref / "gii_cluster_rankings.csv").open(encoding="utf-8")):
        code = cluster_code(r["cluster"])
        inferred = bool(INFERRED.search(r["note"]))
        confidence = CONFIDENCE[r["confidence"]]
        note = r["note"]
        if inferred and confidence != "unverified":
            note = f"{note}; rank inferred, so confidence set to unverified (reference file: {r['confidence']})"
            confidence = "unverified"
        rows[(int(r["edition"]), code)] = {
            "edition": r["edition"],
            "rank": r["rank"],
            "cluster_code": code,
            "name_as_ranked": r["cluster"],
            "pct_applications_count": r["pct_applications_count"],
            "scientific_publications_count": r["scientific_publications_count"],
            "pct_share_pct": r["pct_share_pct"],
            "publications_share_pct": r["publications_share_pct"],
            "vc_deals_share_pct": r["vc_deals_share_pct"],
            "data_window": r["data_window"],
            "is_inferred": "True" if inferred else "False",
            "source_id": source_ids(r["source"]),
            "confidence": confidence,
            "note": note,
        }
    for r in csv.DictReader((ref / "gii_cluster_rank_history.csv").open(encoding="utf-8")):
        if not r["rank"].isdigit():
            continue  # "not in top 100" or not retrieved: no rank to record
        key = (int(r["edition"]), cluster_code(r["cluster"]))
        conf = CONFIDENCE[r["confidence"]]
        hist_ids = source_ids(r["source"])
        if key in rows:
            row = rows[key]
            if row["rank"] != r["rank"]:
                # sources disagree: keep the better-sourced rank, note the other
                if ORDER[conf] < ORDER[row["confidence"]]:
                    other = row["rank"]
                    row.update(rank=r["rank"], confidence=conf)
                else:
                    other = r["rank"]
                row["note"] = f"{row['note']}; other source gives rank {other}".strip("; ")
            ids = row["source_id"].split(";") + hist_ids.split(";")
            row["source_id"] = ";".join(dict.fromkeys(i for i in ids if i))
            continue
        match = re.search(r'as "([^"]+)"', r["note"])
        inferred = bool(INFERRED.search(r["note"]))
        rows[key] = {
            "edition": r["edition"],
            "rank": r["rank"],
            "cluster_code": key[1],
            "name_as_ranked": match.group(1) if match else r["cluster"],
            "data_window": "",
            "is_inferred": "True" if inferred else "False",
            "source_id": hist_ids,
            "confidence": "unverified" if inferred else conf,
            "note": r["note"],
        }
    for key, note in CONFLICT_NOTES.items():
        rows[key]["note"] = f"{rows[key]['note']}; {note}"
    return sorted(rows.values(), key=lambda x: (-int(x["edition"]), int(x["rank"])))


def build_economy_ranks(ref: Path) -> list[dict]:
    """Economy-level GII ranks (rows without a retrieved rank are left out)."""
    out = []
    for r in csv.DictReader((ref / "gii_economy_ranks.csv").open(encoding="utf-8")):
        if not r["gii_rank"]:
            continue
        out.append(
            {
                "edition": r["edition"],
                "economy_code": ECONOMY_ISO3[r["economy"]],
                "gii_rank": r["gii_rank"],
                "gii_score": r["gii_score"],
                "source_id": source_ids(r["source"]),
                "confidence": CONFIDENCE[r["confidence"]],
                "note": r["note"],
            }
        )
    return sorted(out, key=lambda x: (-int(x["edition"]), int(x["gii_rank"])))


def build_counts(ref: Path) -> list[dict]:
    """Number of top-100 clusters per economy (economy codes as in the source)."""
    out = []
    for r in csv.DictReader((ref / "gii_cluster_counts_by_economy.csv").open(encoding="utf-8")):
        code, note, counts_with = r["economy"], r["note"], ""
        if code.startswith("CN ("):
            counts_with = "HK/TW"  # the source's "CN (incl. HK, TW)" count
            note = "; ".join(
                x
                for x in ("source counts mainland China, Hong Kong and Taiwan together", note)
                if x
            )
            code = "CN"
        out.append(
            {
                "edition": r["edition"],
                "economy_code": code,
                "count": r["clusters_in_top100"],
                "counts_with": counts_with,
                "source_id": source_ids(r["source"]),
                "confidence": CONFIDENCE[r["confidence"]],
                "note": note,
            }
        )
    return out


def build_clusters(ranks: list[dict]) -> list[dict]:
    """Cluster code list; source and confidence from the cluster's most recent ranked row."""
    latest: dict[str, dict] = {}
    for row in ranks:
        code = row["cluster_code"]
        if code not in latest or int(row["edition"]) > int(latest[code]["edition"]):
            latest[code] = row
    out = []
    for code, en, zh, economies, gba in CLUSTERS:
        src = latest[code]
        note = f"English name as ranked in GII {src['edition']}; Traditional Chinese name is this project's rendering"
        if code == "shenzhen_hong_kong_guangzhou":
            note += '; ranked as "Shenzhen–Hong Kong" (without Guangzhou) in 2017-2019, merged with Guangzhou from GII 2020'
        if code == "shanghai_suzhou":
            note += '; ranked as "Shanghai" until 2021'
        if code == "singapore":
            note += "; exact WIPO cluster name not retrieved (likely Singapore–Johor Bahru)"
        out.append(
            {
                "cluster_code": code,
                "name_en": en,
                "name_zh_hant": zh,
                "economy_codes": economies,
                "is_gba": "True" if gba else "False",
                "source_id": src["source_id"],
                "confidence": src["confidence"],
                "note": note,
            }
        )
    return out


def sources_rows(used: set[str]) -> list[dict]:
    """Catalogue rows for the GII source ids in ``used``."""
    rows = []
    for url, (sid, publisher, title) in GII_SOURCES.items():
        if sid not in used:
            continue
        rows.append(
            {
                "source_id": sid,
                "publisher": publisher,
                "title": title,
                "url": "" if url.startswith("(") else url,
                "date_accessed": ACCESSED,
                "licence_note": "Figures (facts) cited with attribution; page text not reproduced",
                "note": "Read by the compiler of ../shared/reference-data at an earlier, unrecorded date; compiled for this project on 2026-11-29",
            }
        )
        rows[-1].update(zh_fields(rows[-1]))  # publisher/title/licence in zh-Hant
    return rows


def append_sources() -> None:
    """Append the missing gii- source rows to data/sources.csv (append only, re-read first)."""
    used: set[str] = set()
    for name in (
        "clusters",
        "gii_cluster_ranks",
        "gii_methodology",
        "gii_economy_ranks",
        "gii_clusters_per_economy",
        "article_claims",
    ):
        path = DATA / f"{name}.csv"
        if path.exists():
            for row in csv.DictReader(path.open(encoding="utf-8")):
                used.update(s.strip() for s in row["source_id"].split(";"))
    catalogue = DATA / "sources.csv"
    text = catalogue.read_text(encoding="utf-8")  # re-read right before appending
    header = text.splitlines()[0].split(",")
    known = {row["source_id"] for row in csv.DictReader(text.splitlines())}
    rows = [r for r in sources_rows(used) if r["source_id"] not in known]
    unknown = sorted(u for u in used if u not in known and u not in {r["source_id"] for r in rows})
    with catalogue.open("a", encoding="utf-8", newline="") as handle:
        if not text.endswith("\n"):
            handle.write("\n")
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writerows(rows)
    print(f"appended {len(rows)} source rows; ids still unknown: {unknown}")


def main() -> None:
    """Write the GII tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument(
        "--append-sources",
        action="store_true",
        help="append catalogue rows for gii- ids used in data/ but missing from data/sources.csv",
    )
    args = parser.parse_args()
    if args.append_sources:
        append_sources()
        return
    ranks = build_ranks(args.reference)
    econ = build_economy_ranks(args.reference)
    counts = build_counts(args.reference)
    clusters = build_clusters(ranks)
    write_csv(
        DATA / "clusters.csv",
        [
            "cluster_code",
            "name_en",
            "name_zh_hant",
            "economy_codes",
            "is_gba",
            "source_id",
            "confidence",
            "note",
        ],
        clusters,
    )
    write_csv(
        DATA / "gii_cluster_ranks.csv",
        [
            "edition",
            "rank",
            "cluster_code",
            "name_as_ranked",
            "pct_applications_count",
            "scientific_publications_count",
            "pct_share_pct",
            "publications_share_pct",
            "vc_deals_share_pct",
            "data_window",
            "is_inferred",
            "source_id",
            "confidence",
            "note",
        ],
        ranks,
    )
    write_csv(
        DATA / "gii_economy_ranks.csv",
        ["edition", "economy_code", "gii_rank", "gii_score", "source_id", "confidence", "note"],
        econ,
    )
    write_csv(
        DATA / "gii_clusters_per_economy.csv",
        ["edition", "economy_code", "count", "counts_with", "source_id", "confidence", "note"],
        counts,
    )
    print(
        f"clusters {len(clusters)}, ranks {len(ranks)}, economy ranks {len(econ)}, counts {len(counts)}"
    )


if __name__ == "__main__":
    main()
