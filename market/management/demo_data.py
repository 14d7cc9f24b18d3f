"""The demo's names and facts (from the news articles in shared/seeds), used by ``seed_demo``."""

from decimal import Decimal

from market.models import Certification, Listing

DEMO_PASSWORD = "gongfu2026"
SECRETARIES_GROUP = "第一书记"

COMMUNITIES = [
    # slug, name, district, street, pickup point, address, intro
    ("chaoyangjie", "朝阳街社区", "天桥区", "制锦市街道", "朝阳街社区党群服务中心自提点",
     "天桥区制锦市街道朝阳街社区党群服务中心一楼",
     "「Can!制锦」幸福直播间所在地，共富超市开设了银发专柜。"),
    ("wuyingtan", "无影潭社区", "天桥区", "无影山街道", "无影潭社区服务站自提点",
     "天桥区无影山街道无影潭社区党群服务中心",
     "与专业机构合作，错峰共用党群服务中心开展儿童托管。"),
    ("mingquanchunxiao", "名泉春晓社区", "天桥区", "北园街道", "名泉春晓社区自提点",
     "天桥区名泉春晓社区小区广场东侧服务站",
     "睦邻市集划分政策宣传、法律咨询、便民服务、就业帮扶等 11 个区域。"),
    ("yunhu", "云湖社区", "高新区", "孙村街道", "云湖社区党群服务中心自提点",
     "高新区孙村街道云湖社区党群服务中心",
     "推行“服务空间最大化”，老人在活动室排练戏曲，孩子在阅览室读书。"),
]

VILLAGES = [
    # slug, name, location, story, secretary username, products
    ("sangzidian", "桑梓店村", "天桥区桑梓店街道",
     "桑梓的本土农产品，纯天然无添加。第一书记带着村里的蜂农把蜂蜜卖进了城里社区。",
     "secretary",
     [("桑梓土蜂蜜 500g", "蜂蜜", "68.00", True), ("桑梓槐花蜜 1kg", "蜂蜜", "118.00", True),
      ("桑梓枣花蜜 500g", "蜂蜜", "58.00", False), ("蜂巢蜜 400g", "蜂蜜", "88.00", False),
      ("蜂蜜柚子茶 1kg", "蜂蜜", "45.00", True), ("桑梓小米 2.5kg", "粮油", "39.90", True),
      ("桑梓绿豆 1kg", "粮油", "19.80", False), ("石磨香油 500ml", "粮油", "49.00", False)]),
    ("damiaotun", "大庙屯村", "市中区陡沟街道",
     "陡沟街道“红盟兴业”党建联合体培植的大庙普罗旺斯西红柿，沙瓤多汁，进入采摘季。",
     "secretary_damiaotun",
     [("普罗旺斯西红柿 5斤装", "蔬菜", "39.80", True), ("普罗旺斯西红柿 10斤礼盒", "蔬菜", "69.00", False),
      ("樱桃番茄 3斤", "蔬菜", "29.90", False), ("大庙屯黄瓜 3斤", "蔬菜", "15.80", True),
      ("西红柿酱 2瓶", "粮油", "26.00", False), ("农家土鸡蛋 30枚", "粮油", "45.00", True),
      ("大庙屯青椒 2斤", "蔬菜", "9.90", False), ("新鲜茄子 3斤", "蔬菜", "12.80", False)]),
    ("xinping", "新平村", "市中区陡沟街道",
     "新平果蔬大棚一年四季不断茬，“强村+弱村”结对共建，集体经济收入稳步增长。",
     "secretary_xinping",
     [("大棚草莓 3斤", "水果", "59.00", False), ("大棚甜瓜 2个", "水果", "25.80", False),
      ("水果黄瓜 3斤", "蔬菜", "16.90", False), ("新平生菜 2斤", "蔬菜", "8.80", False),
      ("大棚西葫芦 3斤", "蔬菜", "10.80", False), ("彩椒组合 2斤", "蔬菜", "18.00", False),
      ("软糯南瓜 1个", "蔬菜", "12.00", True)]),
    ("xiaozhuang", "小庄村", "市中区陡沟街道",
     "小庄采摘研学基地，带孩子认识庄稼；地里刚摘的时令果蔬直供社区。",
     "secretary_xiaozhuang",
     [("小庄红富士苹果 5斤", "水果", "35.00", False), ("小庄黄桃 3斤", "水果", "29.80", False),
      ("小庄葡萄 2斤", "水果", "26.00", False), ("鲜玉米 6穗", "蔬菜", "18.00", False),
      ("小庄地瓜 5斤", "蔬菜", "19.90", False), ("采摘研学体验券", "水果", "50.00", False),
      ("核桃 1kg", "粮油", "42.00", False), ("小庄马铃薯 5斤", "蔬菜", "16.80", False)]),
]

# A product's own words (the village's story is on its page already)
DESCRIPTIONS = {
    "蜂蜜": "蜂农自家蜂场取的蜜，不兑水、不加糖，冬天结晶是正常现象。",
    "蔬菜": "当天采摘，第二天送到社区自提点，新鲜看得见。",
    "水果": "树上自然成熟再摘，挑过个头，磕碰包退。",
    "粮油": "村里合作社自产自加工，小批量生产，吃得放心。",
}

# What buyers call the same produce; operators add more under 共富超市 › 搜索同义词 in /cms/.
SYNONYMS = ["番茄 西红柿 洋柿子", "土豆 马铃薯 洋芋", "地瓜 红薯 番薯", "玉米 苞米 棒子", "香油 芝麻油", "蜂蜜 蜜"]

# village: producer, place, season, certification, certificate number (from the seed articles)
ORIGINS = {
    "sangzidian": ("桑梓店村养蜂专业合作社", "天桥区桑梓店街道桑梓店村", "每年 4–9 月取蜜",
                   Certification.GREEN, "LB-18-2401031501"),
    "damiaotun": ("大庙屯村“红盟兴业”西红柿种植合作社", "市中区陡沟街道大庙屯村", "每年 5–7 月采摘季",
                  Certification.GREEN, "LB-15-2405021802"),
    "xinping": ("新平村果蔬大棚合作社", "市中区陡沟街道新平村", "大棚一年四季不断茬", Certification.NONE, ""),
    "xiaozhuang": ("小庄采摘研学基地", "市中区陡沟街道小庄村", "时令果蔬，随摘随发", Certification.NONE, ""),
}
# category: shelf life, storage, days since harvest
KEEPING = {
    "蜂蜜": ("24 个月", "常温避光，密封保存", 20),
    "蔬菜": ("冷藏 5–7 天", "0–8℃ 冷藏，避免挤压", 1),
    "水果": ("冷藏 3–5 天", "冷藏保存，尽快食用", 2),
    "粮油": ("12 个月", "阴凉干燥处，开封后密封", 30),
}
# products waiting for the operators: (village, title, category, price, status, reason)
REVIEW_QUEUE = [
    ("sangzidian", "桑梓荆条蜜 500g", "蜂蜜", "62.00", Listing.Status.PENDING, ""),
    ("sangzidian", "蜂王浆 100g", "蜂蜜", "128.00", Listing.Status.REJECTED,
     "蜂王浆属于保健食品，请补充食品生产许可证编号后再提交"),
]
PRICE_CHANGE = ("damiaotun-03", Decimal("29.90"), Decimal("45.00"))  # 樱桃番茄 3斤: a +50% price waits for review
# demo buyers' orders, so the secretaries' order and packing lists have content:
# (buyer, name, community of the pickup point, [(sku, quantity)], status, placed by a worker for them)
PLACED, AT_PICKUP, COLLECTED, CANCELLED = "placed", "at_pickup", "collected", "cancelled"
DEMO_ORDERS = [
    ("buyer_li", ("李", "阿姨"), "chaoyangjie", [("sangzidian-01", 2), ("damiaotun-01", 1)], PLACED, None),
    ("buyer_wang", ("王", "大爷"), "chaoyangjie", [("sangzidian-02", 1)], PLACED, None),
    ("buyer_zhao", ("赵", "女士"), "wuyingtan", [("damiaotun-01", 2), ("sangzidian-06", 1)], PLACED, None),
    ("buyer_sun", ("孙", "老师"), "mingquanchunxiao", [("sangzidian-01", 1), ("xinping-07", 1)], PLACED, None),
    ("buyer_li", ("李", "阿姨"), "chaoyangjie", [("sangzidian-05", 1)], AT_PICKUP, None),
    ("buyer_wang", ("王", "大爷"), "chaoyangjie", [("damiaotun-04", 1)], COLLECTED, None),
    ("buyer_zhao", ("赵", "女士"), "wuyingtan", [("xiaozhuang-01", 1)], CANCELLED, None),
    # 代下单: the community worker ordered for 胡奶奶 (the elder account)
    ("elder", ("胡", "奶奶"), "chaoyangjie", [("sangzidian-06", 1), ("damiaotun-06", 1)], AT_PICKUP, "worker"),
]

CATEGORY_COLOURS = {
    "蜂蜜": ("#f6b73c", "#8a5a00"),
    "蔬菜": ("#63b35a", "#1f5a1a"),
    "水果": ("#ef6a5b", "#7a1a10"),
    "粮油": ("#d9b98a", "#6b4a1c"),
}

# each village's first secretary, a person (the trace page prints the name, not the role)
SECRETARY_NAMES = {"secretary": ("张", "立新"), "secretary_damiaotun": ("王", "志强"),
                   "secretary_xinping": ("李", "红梅"), "secretary_xiaozhuang": ("赵", "文博")}

USERS = [
    # username, name (last, first), superuser, staff
    ("admin", ("平台", "管理员"), True, True),
    ("host", ("朝阳街", "主理人"), False, False),
    ("secretary", ("张", "立新"), False, False),  # 桑梓店村's first secretary
    ("resident", ("陈", "娜"), False, False),
    ("elder", ("胡", "奶奶"), False, False),
    ("pickup", ("朝阳街自提点", "值班员"), False, False),
    ("worker", ("刘", "晓梅"), False, False),  # 朝阳街社区's community worker: 代下单 for elders
]
# residents' communities and mobile numbers (their pickup point is chosen for them at checkout)
RESIDENTS = [("resident", "chaoyangjie", "13805310001"), ("elder", "chaoyangjie", "13805310002")]
# every demo account has a verified mobile: log in with it and the code `make run` prints (or the password)
MOBILES = {username: mobile for username, _community, mobile in RESIDENTS} | {
    "admin": "13805319000", "host": "13805319001", "secretary": "13805319002",
    "pickup": "13805319005", "worker": "13805319006",
}
