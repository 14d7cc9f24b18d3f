"""
社区家园's demo content, loaded by ``seed_demo``: each community's service
centre, services and volunteer teams, news, and events of every kind (a past
one with attendance, coming ones, one full with a waitlist, a weekly 社区夜校
series; 朝阳街's film night has one seat left, the others' are full with a
waitlist); village harvest calendars; the demo editor of 朝阳街社区
(``editor``), whose news goes to the operators for approval. Facts from shared/seeds.
Running it again adds nothing that is already there.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission
from wagtail.rich_text import RichText

from .models import (CommunityNewsPage, CommunityPage, CommunityService, EventPage, HarvestMonth, Reservation,
                     ServiceDirectoryPage, VillagePage, VolunteerTeam)

EDITOR_GROUP = "{name}编辑"

CENTRES = {
    # slug: (opening hours, phone)
    "chaoyangjie": ("周一至周日 8:30–20:30（夜校、放映延时开放）", "0531-85961234"),
    "wuyingtan": ("周一至周六 8:30–18:00", "0531-85962345"),
    "mingquanchunxiao": ("周一至周日 9:00–18:00", "0531-85963456"),
    "yunhu": ("周一至周日 8:00–21:00", "0531-88871234"),
}

SERVICES = [
    # name, category, phone, hours, place, note
    ("社保医保业务代办", "government", "0531-85960001", "工作日 9:00–17:00", "党群服务中心一楼政务窗口",
     "退休认证、医保报销材料收取，带身份证"),
    ("居住证明、开具证明", "government", "0531-85960002", "工作日 9:00–17:00", "党群服务中心一楼", ""),
    ("家庭医生签约与随访", "medical", "0531-85960003", "每周二、周四上午", "社区卫生服务站",
     "65 岁以上老人免费体检，请提前电话预约"),
    ("爱心义诊", "medical", "0531-85960004", "每月第一个周六", "小区广场", "测血压、血糖，中医问诊"),
    ("法律咨询（社区法律顾问）", "legal", "0531-85960005", "每周三 14:00–17:00", "党群服务中心调解室",
     "婚姻家庭、劳动纠纷、物业纠纷免费咨询"),
    ("家政保洁预约", "housekeeping", "0531-85960006", "每天 8:00–18:00", "电话预约上门", "开心大姐家政，按小时收费"),
    ("家电维修", "housekeeping", "0531-85960007", "每天 9:00–17:00", "电话预约上门", ""),
    ("老年助餐", "elderly", "0531-85960008", "每天 11:00–12:30", "长者食堂", "80 岁以上老人每餐补贴 3 元"),
    ("居家养老上门服务", "elderly", "0531-85960009", "工作日", "电话预约上门", "助浴、助洁、陪诊"),
    ("儿童托管（错峰共用）", "children", "0531-85960010", "工作日 16:00–18:30", "党群服务中心二楼",
     "与专业机构合作，放学后托管"),
]

TEAMS = [
    # name, leader, activities, meets
    ("红色物业志愿服务队", "赵建国", "楼道清理、电动车充电棚巡查、邻里纠纷劝解", "每周六上午"),
    ("银龄互助队", "孙秀兰", "陪高龄老人看病、读报、帮忙网上买菜和代下单", "每周三下午"),
]

NEWS = [
    # days ago, title, intro, paragraph
    (3, "睦邻市集又开张：11 个区域 20 多项惠民服务", "政策宣传、法律咨询、便民服务、就业帮扶，在小区广场一站办齐。",
     "这样的睦邻市集已在各社区举办 500 余次。共建单位为居民带来理发、磨刀、义诊、家电维修等服务，居民连小区大门都不用出。"),
    (10, "「Can!制锦」幸福直播间带火桑梓蜂蜜", "社区主理人直播助农，银发专柜的商品可以到社区自提点取货。",
     "“家人们看好了，这款蜂蜜是产自桑梓的本土农产品，纯天然无添加……”直播间里，主理人一边介绍一边回答居民提问。"),
    (24, "社区夜校、星光放映厅延时开放", "党群服务中心晚上也开门，年轻人下班后也能来。",
     "社区大力推行延时错时服务，链接“双报到”单位、社会组织、社区能人，开设社区夜校、星光放映厅等服务。"),
]


def seed_community_home(communities, villages, users):
    """Everything above, for the demo communities and villages (idempotent)."""
    now = timezone.localtime()
    residents = _residents(communities)
    for slug, community in communities.items():
        page = CommunityPage.objects.filter(community=community).first()
        if page is None:
            continue
        _centre(page, slug)
        if not CommunityService.objects.filter(community=community).exists():
            count = 6 + (len(slug) % 5)  # 6–10 a community
            for name, category, phone, hours, place, note in SERVICES[:count]:  # one by one: each is indexed
                CommunityService.objects.create(community=community, name=name, category=category, phone=phone,
                                                hours=hours, place=place, note=note)
        if not VolunteerTeam.objects.filter(community=community).exists():
            VolunteerTeam.objects.bulk_create(VolunteerTeam(community=community, name=name, leader=leader,
                                                            activities=what, meets=meets)
                                              for name, leader, what, meets in TEAMS)
        if not CommunityNewsPage.objects.filter(community=community).exists():
            for days, title, intro, text in NEWS:
                page.add_child(instance=CommunityNewsPage(
                    title=title, slug=f"news-{days}", date=(now - timedelta(days=days)).date(), intro=intro,
                    body=[("paragraph", RichText(f"<p>{text}</p>"))]))
        if not EventPage.objects.filter(community=community).exists():
            _events(page, community, now, residents)
    _editor(communities["chaoyangjie"], users)
    _directory_page()
    _harvests(villages)


def _centre(page, slug):
    hours, phone = CENTRES.get(slug, ("", ""))
    if page.opening_hours or not hours:
        return
    page.opening_hours, page.phone = hours, phone
    page.body = [
        ("paragraph", RichText("<p>党群服务中心白天办政务、晚上开夜校，图书室、活动室、长者食堂都向居民开放。"
                               "活动要预约的，在下面点进去就能约，到场出示签到码。</p>")),
        ("quote", {"text": "现在小区广场上几乎每天都有活动，爱心义诊、社区团购……社区把服务送到了楼底下。",
                   "attribution": "名泉春晓社区居民 陈娜"}),
        ("events", {"heading": "近期活动", "count": 3}),
        ("services", {"heading": "一键拨打", "category": ""}),
    ]
    page.save_revision().publish()


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _events(page, community, now, residents):
    today = now.date()
    next_saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    next_tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    specs = [
        # title, slug, kind, start, hours, place, capacity, max places, points, weeks
        ("睦邻市集（上期）", "market-last", EventPage.Kind.MARKET, _at(today - timedelta(days=7), 9), 3,
         "小区广场", 200, 4, 20, 1),
        ("睦邻市集", "market", EventPage.Kind.MARKET, _at(next_saturday, 9), 3, "小区广场", 200, 4, 20, 1),
        ("星光放映厅：《我和我的家乡》", "cinema", EventPage.Kind.CINEMA, _at(next_saturday, 19), 2,
         "党群服务中心多功能厅", 4, 2, 10, 1),
        ("社区夜校：智能手机课", "night-school", EventPage.Kind.NIGHT_SCHOOL, _at(next_tuesday, 19), 1.5,
         "党群服务中心二楼教室", 30, 1, 10, 8),
    ]
    made = {}
    for title, slug, kind, start, hours, place, capacity, most, points, weeks in specs:
        event = EventPage(title=title, slug=slug, kind=kind, start=start, end=start + timedelta(hours=hours),
                          place=place, capacity=capacity, max_places=most, points=points, repeat_weeks=weeks,
                          intro=f"{community.name}{EventPage.Kind(kind).label}，欢迎街坊邻居来参加。",
                          body=[("paragraph", RichText("<p>请提前预约，到场出示签到码。</p>"))])
        page.add_child(instance=event)
        event.save_revision().publish()  # a weekly series makes its other dates here
        made[slug] = event
    people = residents.get(community.pk, [])
    past = made["market-last"]
    for i, user in enumerate(people):  # last week's market: everyone came but the last
        r = Reservation.objects.create(event=past, user=user, name=f"{user.last_name}{user.first_name}",
                                       mobile=f"1380531{i:04d}",
                                       places=1, status=Reservation.Status.CONFIRMED,
                                       created_at=past.start - timedelta(days=2))
        if i < len(people) - 1:
            Reservation.objects.filter(pk=r.pk).update(checked_in_at=past.start + timedelta(minutes=10 + i))
    # 4 seats at the film night: 朝阳街's has one left; the others' are full, with two waiting
    cinema = made["cinema"]
    wanted = [2, 1] if community.slug == "chaoyangjie" else [2, 2, 1, 1]
    for i, (user, places) in enumerate(zip(people, wanted)):
        Reservation.objects.create(event=cinema, user=user, name=f"{user.last_name}{user.first_name}",
                                   mobile=f"1390531{i:04d}",
                                   places=places,
                                   status=Reservation.Status.CONFIRMED if i < 2 else Reservation.Status.WAITLISTED,
                                   created_at=now - timedelta(hours=10 - i))


def _residents(communities):
    """A few residents per community (for attendance lists and the waitlist)."""
    from market.models import Resident

    User = get_user_model()
    names = [("李", "阿姨"), ("王", "大爷"), ("赵", "女士"), ("孙", "老师"), ("周", "师傅")]
    out = {}
    for n, (slug, community) in enumerate(communities.items()):
        people = []
        for i, (last, first) in enumerate(names):
            user, created = User.objects.get_or_create(username=f"{slug}_{i + 1}", defaults={
                "last_name": last, "first_name": first, "email": f"{slug}_{i + 1}@gongfu.local"})
            if created:
                user.set_unusable_password()
                user.save()
                # numbers apart from each other and from the demo accounts' 1380531xxxx
                Resident.objects.create(user=user, community=community, mobile=f"137053{n + 1:02d}{i + 1:03d}")
            people.append(user)
        out[community.pk] = people
    return out


def _editor(community, users):
    """朝阳街社区's editor: edits its pages, news, events and directory; publishing waits for an operator."""
    User = get_user_model()
    editor, created = User.objects.get_or_create(username="editor", defaults={
        "last_name": "张", "first_name": "宁", "email": "editor@gongfu.local"})
    if created:
        from market.management.demo_data import DEMO_PASSWORD

        editor.set_password(DEMO_PASSWORD)
        editor.save()
    group = editors_group(community)
    group.user_set.add(editor)
    users["editor"] = editor


def editors_group(community):
    """The Wagtail group of a community's editors: edit (not publish) its page and everything under
    it, keep its directory, use images; created once."""
    group, created = Group.objects.get_or_create(name=EDITOR_GROUP.format(name=community.name))
    if not created:
        return group
    page = CommunityPage.objects.get(community=community)
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.get_or_create(group=group, page=page,
                                                  permission=Permission.objects.get(codename=codename,
                                                                                    content_type__app_label="wagtailcore"))
    model_perms = [("wagtailadmin", "access_admin")]
    model_perms += [("cms", f"{action}_{model}") for model in ("communityservice", "volunteerteam")
                    for action in ("add", "change", "delete", "view")]
    model_perms += [("cms", "change_volunteerrequest"), ("cms", "view_volunteerrequest")]
    group.permissions.add(*(Permission.objects.get(content_type__app_label=app, codename=code)
                            for app, code in model_perms))
    root = Collection.get_first_root_node()
    for codename in ("add_image", "choose_image"):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root,
            permission=Permission.objects.get(content_type__app_label="wagtailimages", codename=codename))
    return group


def _directory_page():
    from .models import HomePage

    home = HomePage.objects.first()
    if home and not ServiceDirectoryPage.objects.exists():
        home.add_child(instance=ServiceDirectoryPage(title="便民服务", slug="services",
                                                     intro="政务、医疗、法律、家政、养老，一键拨打；志愿服务队欢迎加入。"))


HARVESTS = {
    "sangzidian": [("槐花蜜", 4, 5), ("枣花蜜", 6, 7), ("荆条蜜", 7, 9), ("小米", 9, 10)],
    "damiaotun": [("普罗旺斯西红柿", 5, 7), ("黄瓜", 5, 9), ("青椒", 6, 9)],
    "xinping": [("大棚草莓", 12, 4), ("甜瓜", 4, 6), ("生菜", 1, 12)],
    "xiaozhuang": [("黄桃", 7, 8), ("葡萄", 8, 9), ("红富士苹果", 10, 11), ("鲜玉米", 7, 9)],
}


def _harvests(villages):
    for slug, village in villages.items():
        page = VillagePage.objects.filter(village=village).first()
        if page is None or page.harvests.exists():
            continue
        for order, (produce, first, last) in enumerate(HARVESTS.get(slug, [])):
            HarvestMonth.objects.create(page=page, sort_order=order, produce=produce, first_month=first,
                                        last_month=last)
