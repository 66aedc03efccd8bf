"""Background sentences: what an unrelated passage scores against a question.

multilingual-e5 gives every pair of texts a cosine between about 0.7 and 0.9, so a
fixed threshold cannot tell an answer from noise: gibberish scores 0.81 against the
seed while "What did Xi say?" scores 0.81 against Xi's sentences. Instead each
question is compared with these everyday sentences on many unrelated topics; a passage
counts as an answer only when it beats the best of them by a margin. Written for this
project (no third-party text), in Arabic and English like the questions.
"""

BACKGROUND_SENTENCES: tuple[str, ...] = (
    "فاز الفريق بالمباراة بهدفين مقابل هدف واحد في الدوري المحلي.",
    "سجل اللاعب ثلاثة أهداف في الشوط الثاني وقاد فريقه إلى النهائي.",
    "توقعت الأرصاد الجوية أمطارا غزيرة ورياحا قوية نهاية الأسبوع.",
    "ارتفعت درجات الحرارة إلى أكثر من أربعين درجة في المدن الجنوبية.",
    "ضعي الدقيق والسكر والبيض في وعاء واخلطي المكونات جيدا قبل الخبز.",
    "يطهى الأرز مع اللحم والبهارات على نار هادئة لمدة ساعة.",
    "أعلنت الشركة عن هاتف ذكي جديد بكاميرا متطورة وبطارية تدوم طويلا.",
    "أطلقت الشركة تحديثا لنظام التشغيل يصلح عددا من الثغرات الأمنية.",
    "ينصح الأطباء بشرب الماء بكثرة وممارسة الرياضة يوميا للحفاظ على الصحة.",
    "افتتح المستشفى الجديد قسما لعلاج أمراض القلب عند الأطفال.",
    "ارتفع سعر النفط في الأسواق العالمية بعد قرار خفض الإنتاج.",
    "تراجعت أسهم البنوك في البورصة مع نهاية جلسة التداول.",
    "افتتح معرض الكتاب أبوابه للزوار بمشاركة مئات دور النشر.",
    "حصل الفيلم على جائزة أفضل إخراج في المهرجان السينمائي.",
    "أقيم حفل موسيقي كبير في المسرح الوطني حضره آلاف المتفرجين.",
    "بدأ العام الدراسي الجديد في المدارس والجامعات هذا الأسبوع.",
    "نجح الطلاب في امتحانات الشهادة الثانوية بنسبة مرتفعة هذا العام.",
    "وقع حادث سير على الطريق السريع أدى إلى إصابة عدد من الركاب.",
    "تمكنت الشرطة من القبض على عصابة متخصصة في سرقة السيارات.",
    "اندلع حريق في غابة قرب القرية وتمكن رجال الإطفاء من إخماده.",
    "اكتشف العلماء نوعا جديدا من الأسماك في أعماق المحيط.",
    "أطلقت وكالة الفضاء مسبارا لدراسة الكواكب البعيدة.",
    "تستقبل المدينة آلاف السياح كل صيف لزيارة شواطئها وآثارها القديمة.",
    "ارتفعت أسعار الخضر والفواكه في الأسواق بسبب قلة الأمطار.",
    "أعلنت الحكومة عن زيادة في رواتب الموظفين ابتداء من الشهر المقبل.",
    "صوت البرلمان على مشروع قانون جديد للضرائب.",
    "التقى وزير الخارجية نظيره في العاصمة لبحث العلاقات الثنائية.",
    "أجريت الانتخابات البلدية في أجواء هادئة وبمشاركة واسعة.",
    "تم تدشين خط جديد للقطارات يربط بين المدينتين.",
    "تأخرت الرحلات الجوية في المطار بسبب الضباب الكثيف.",
    "يعيش الأسد في السهول الأفريقية ويصطاد في مجموعات.",
    "تزرع أشجار الزيتون في المناطق ذات المناخ المعتدل.",
    "قال المدرب إن فريقه استعد جيدا للمباراة القادمة.",
    "صرح المتحدث باسم الوزارة بأن المفاوضات ستستأنف الأسبوع المقبل.",
    "أكد رئيس الجمعية أن المشروع سيساعد الأسر المحتاجة.",
    "The team won the match two goals to one in the league.",
    "Heavy rain and strong winds are expected over the weekend.",
    "Mix the flour, sugar and eggs before putting the cake in the oven.",
    "The company launched a new smartphone with a better camera.",
    "Doctors recommend drinking water and exercising every day.",
    "Oil prices rose after producers agreed to cut output.",
    "The film won the award for best director at the festival.",
    "The new school year started this week across the country.",
    "Police arrested a gang that stole cars in the city.",
    "Scientists discovered a new species of fish in the deep ocean.",
    "The minister said negotiations would resume next week.",
    "Flights were delayed at the airport because of thick fog.",
    "What is the capital of the country?",
    "How do I cook rice?",
)
