"""Demo content: the sample wire story plus generated stories in every section."""

import datetime
import random
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.desk import workflow
from articles.desk.roles import group_for
from articles.models import Article, Author, Section, Tag
from articles.text import arabic
from articles.wire.plaintext import WireStory, import_story, read_wire_file

WIRE_DIR = Path(settings.BASE_DIR) / "demo" / "wire"

SECTIONS = [
    ("محليات", "محليات", "أخبار الدولة والمجتمع"),
    ("عربي ودولي", "دولي", "العالم العربي والعالم"),
    ("اقتصاد", "اقتصاد", "الأسواق والأعمال والطاقة"),
    ("رياضة", "رياضة", "الملاعب والبطولات"),
    ("ثقافة وفنون", "ثقافة", "الكتب والمسرح والسينما"),
    ("تكنولوجيا", "تكنولوجيا", "العلوم والتقنية والابتكار"),
]
AUTHORS = [
    ("سارة المنصوري", "محررة الشؤون المحلية، تغطي قضايا التعليم والمجتمع."),
    ("أحمد الكعبي", "مراسل الشؤون الدولية، غطى أحداث المنطقة منذ 2010."),
    ("ليلى حداد", "محررة اقتصادية متخصصة في أسواق الطاقة."),
    ("يوسف العلي", "محرر رياضي يتابع الدوريات العربية والعالمية."),
    ("مريم الشامسي", "كاتبة ومحررة في القسم الثقافي."),
]
TAGS = [
    "الإمارات",
    "الأطفال",
    "الأمن",
    "الاقتصاد العالمي",
    "كرة القدم",
    "الذكاء الاصطناعي",
    "التعليم",
    "الطاقة",
]
HEADLINES = {
    "محليات": [
        (
            "افتتاح 12 مدرسة جديدة مع بداية العام الدراسي",
            "تستوعب المدارس الجديدة أكثر من 9 آلاف طالب وطالبة في مختلف المراحل.",
        ),
        (
            "حملة وطنية للتوعية بسلامة الأطفال على الإنترنت",
            "تشمل الحملة ورشاً للأهالي والمعلمين في جميع الإمارات.",
        ),
        (
            "تمديد ساعات عمل المكتبات العامة خلال الصيف",
            "المكتبات تفتح أبوابها حتى العاشرة مساءً طوال أيام الأسبوع.",
        ),
        (
            "إطلاق منصة رقمية موحدة لخدمات البلديات",
            "المنصة تختصر 40 خدمة في تطبيق واحد باللغة العربية والإنجليزية.",
        ),
    ],
    "دولي": [
        (
            "قمة إقليمية تبحث التعاون الأمني في مكافحة الجرائم الإلكترونية",
            "وزراء الداخلية يتفقون على تبادل البيانات وتنسيق العمليات المشتركة.",
        ),
        (
            "الأمم المتحدة تحذر من تفاقم أزمة الغذاء في القرن الأفريقي",
            "التقرير يدعو إلى تمويل عاجل قبل موسم الجفاف المقبل.",
        ),
        (
            "انتخابات برلمانية وسط إقبال قياسي على صناديق الاقتراع",
            "نسبة المشاركة تجاوزت 70 في المئة للمرة الأولى منذ عقدين.",
        ),
        (
            "اتفاق تاريخي لحماية الممرات البحرية في المنطقة",
            "يضم الاتفاق 9 دول ويدخل حيز التنفيذ مطلع العام المقبل.",
        ),
    ],
    "اقتصاد": [
        (
            "أسعار النفط ترتفع مع تراجع المخزونات الأمريكية",
            "خام برنت يقترب من 90 دولاراً للبرميل في تعاملات الخميس.",
        ),
        (
            "نمو الناتج المحلي غير النفطي 4.5% في الربع الأول",
            "قطاعات السياحة والتجارة والخدمات المالية تقود النمو.",
        ),
        (
            "البنك المركزي يبقي أسعار الفائدة دون تغيير",
            "القرار يأتي متماشياً مع توقعات المحللين في الأسواق.",
        ),
        (
            "صفقة استحواذ بقيمة ملياري دولار في قطاع الموانئ",
            "الصفقة تعزز حضور الشركة في أسواق شرق أفريقيا.",
        ),
    ],
    "رياضة": [
        (
            "المنتخب يتأهل إلى نهائي كأس آسيا بعد فوز مثير",
            "هدف في الدقيقة الأخيرة يحسم المواجهة أمام جمهور غفير.",
        ),
        (
            "ماراثون المدينة يجذب 25 ألف عداء من 120 دولة",
            "رقم قياسي جديد في فئة السيدات يسجل في السباق الرئيسي.",
        ),
        (
            "نادي العين يعلن تعاقده مع مدرب جديد لموسمين",
            "المدرب يتسلم مهامه الأسبوع المقبل ويبدأ معسكر الإعداد.",
        ),
        (
            "بطولة الفروسية الدولية تنطلق بمشاركة عربية واسعة",
            "المنافسات تستمر خمسة أيام بجوائز تتجاوز مليون درهم.",
        ),
    ],
    "ثقافة": [
        (
            "معرض الكتاب يستقبل أكثر من مليون زائر في دورته الجديدة",
            "مشاركة 1500 دار نشر من 90 دولة وبرنامج ثقافي حافل.",
        ),
        (
            "ترميم مخطوطات نادرة تعود إلى القرن الرابع عشر",
            "المشروع يتيح المخطوطات رقمياً للباحثين حول العالم.",
        ),
        (
            "فيلم عربي يفوز بالجائزة الكبرى في مهرجان دولي",
            "لجنة التحكيم أشادت بالسيناريو وأداء الممثلين الشباب.",
        ),
        (
            "مهرجان الشعر النبطي يكرم رواده في أمسية استثنائية",
            "الأمسية شهدت قراءات لعشرة شعراء من دول الخليج.",
        ),
    ],
    "تكنولوجيا": [
        (
            "إطلاق نموذج ذكاء اصطناعي يفهم اللهجات العربية",
            "النموذج دُرّب على بيانات من 22 دولة عربية.",
        ),
        (
            "قمر صناعي جديد لرصد المناخ يصل إلى مداره بنجاح",
            "القمر يرسل أولى صوره خلال الأيام المقبلة.",
        ),
        (
            "تحذير من موجة احتيال إلكتروني تستهدف مستخدمي المصارف",
            "الجهات المختصة تدعو إلى عدم مشاركة رموز التحقق.",
        ),
        (
            "جامعة محلية تطور روبوتاً لمساعدة كبار السن",
            "الروبوت يذكّر بمواعيد الدواء ويتواصل مع الأطباء.",
        ),
    ],
}


class Command(BaseCommand):
    help = "Load demo content (idempotent) and print an admin login."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-admin", action="store_true", help="do not create or reset the admin login"
        )

    @transaction.atomic
    def handle(self, *args, **options):
        sections = {
            slug: Section.objects.update_or_create(
                slug=slug, defaults={"name": name, "description": description, "order": order}
            )[0]
            for order, (name, slug, description) in enumerate(SECTIONS)
        }
        authors = [
            Author.objects.update_or_create(name=name, defaults={"bio": bio})[0]
            for name, bio in AUTHORS
        ]
        tags = [Tag.objects.get_or_create(name=name)[0] for name in TAGS]

        password = None if options["no_admin"] else self._accounts()
        sample = read_wire_file(WIRE_DIR / "000_8a60910e0df4ed03.txt")
        import_story(
            sample,
            section=sections["دولي"],
            status=Article.Status.PUBLISHED,
            authors=[authors[1]],
            tags=[t for t in tags if t.name in {"الإمارات", "الأطفال", "الأمن"}],
        )

        rng = random.Random(2024)  # noqa: S311 - the same demo every time, not a secret
        paragraphs = [sample.standfirst, *sample.paragraphs]
        day = sample.dateline.date
        count = 1
        for n, (slug, stories) in enumerate(HEADLINES.items()):
            for m, (headline, standfirst) in enumerate(stories):
                when = timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time(0))
                    - datetime.timedelta(hours=3 + 7 * m + n, minutes=rng.randrange(60))
                )
                story = WireStory(
                    headline=headline,
                    standfirst=standfirst,
                    paragraphs=rng.sample(paragraphs, 5),
                    dateline=arabic.Dateline(when.date()),
                )
                import_story(
                    story,
                    section=sections[slug],
                    status=Article.Status.PUBLISHED,
                    publish_at=when,
                    authors=[authors[n % len(authors)]],
                    tags=rng.sample(tags, 2),
                )
                count += 1

        # Work in progress the editors see in the admin but readers never do.
        draft = WireStory("مسودة: خطة جديدة للنقل العام", "قيد الإعداد", paragraphs[:2])
        if not Article.objects.filter(source_key=draft.source_key).exists():
            reporter = get_user_model().objects.filter(username="reporter").first()
            import_story(draft, section=sections["محليات"], actor=reporter)
        self._schedule_for_tomorrow(
            WireStory("خبر مجدول: نتائج المسح الوطني", "ينشر صباح الغد", paragraphs[2:4]),
            section=sections["محليات"],
        )
        self.stdout.write(f"Demo content: {count} published stories in {len(sections)} sections.")
        if password:
            self.stdout.write(
                "Admin login: http://127.0.0.1:8000/admin/  username: admin  password: " + password
            )
            self.stdout.write(
                "Also: username reporter (صحفي) and username editor (محرر), same password."
            )

    def _schedule_for_tomorrow(self, story, *, section):
        """An approved story scheduled through the workflow for 09:00 tomorrow, newsroom
        time, so the schedule view has something in it. Left alone once scheduled."""
        existing = Article.objects.filter(source_key=story.source_key).first()
        if existing and existing.status == Article.Status.PUBLISHED:
            return
        article, _ = import_story(story, section=section, status=Article.Status.APPROVED)
        editor, _ = get_user_model().objects.get_or_create(
            username="editor", defaults={"is_staff": True}
        )
        editor.groups.add(group_for("editor"))
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        at = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(9)))
        workflow.article_publish(article=article, user=editor, at=at)

    def _accounts(self) -> str:
        """One password for the chief (superuser), a reporter and an editor; returned."""
        password = secrets.token_urlsafe(12)
        accounts = [("admin", None), ("reporter", "reporter"), ("editor", "editor")]
        for username, role in accounts:
            user, _ = get_user_model().objects.get_or_create(username=username)
            user.is_staff = True
            user.is_superuser = role is None
            user.set_password(password)
            user.save()
            if role:
                user.groups.set([group_for(role)])
        return password
