"""Compare Latin-script names with Arabic ones: how each Latin letter may be written in Arabic."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from retrieval.text.normalize import normalize_arabic

# Arabic letters a Latin spelling usually leaves out: hamza carriers. «ع» is kept: a
# Latin vowel stands for it ("Saud" «سعود», "Jaafar" «جعفر»), never a consonant alone.
_ARABIC_SILENT = frozenset("ءئؤ")
_SUN_LETTERS = frozenset("تثدذرزسشصضطظلن")
_ARABIC_FOREIGN = str.maketrans({"ڤ": "ف", "پ": "ب", "گ": "ج", "چ": "ج", "ژ": "ز", "ڨ": "ق", "ى": "ي", "ے": "ى"})
#: How a name's «ى» (alif maqsura) reaches ``arabic_form`` when a caller keeps it apart from
#: «ي» (``normalize_arabic`` folds the two): a Latin final a may spell it (Musa «موسى»),
#: never «ي» (Rania is not «راني»).
MAQSURA = "ے"

# Latin letter groups -> the Arabic letters they may stand for; "" makes it optional.
_DIGRAPHS = {
    "sch": ("ش",),
    "tch": ("تش", "ش"),
    "sh": ("ش",),
    "ch": ("ش", "تش", "ك", "خ", "ج"),
    "kh": ("خ", "ك"),
    "gh": ("غ", "ج", "ق", ""),
    "th": ("ث", "ت", "ذ", "ط", "س"),
    "dh": ("ذ", "ض", "د", "ظ"),  # Maghrebi spellings: Hafedh «حافظ», Abdelhafidh «عبد الحفيظ»
    "ph": ("ف",),
    "zh": ("ج", "ز", "تش", "ش", "زه"),  # Lazhar «لزهر»: z and h apart
    "ts": ("تس", "تش", "ز"),
    "tz": ("تز", "ز", "تس"),
    "dt": ("ت", "د"),
    "dj": ("ج",),
    "ck": ("ك",),
    "qu": ("ك", "ق"),
    "ng": ("نغ", "نج", "نك", "ن"),
    "ks": ("كس", "قس"),
}
_LETTERS = {
    "b": ("ب",),
    "c": ("ك", "ق", "س", "تش"),
    "d": ("د", "ض"),
    "f": ("ف",),
    "g": ("ج", "غ", "ق", "ك"),
    "h": ("ه", "ح", "خ", ""),
    "j": ("ج", "خ"),
    "k": ("ك", "ق"),
    "l": ("ل",),
    "m": ("م",),
    "n": ("ن",),
    "p": ("ب", "ف"),
    "q": ("ق", "ك", "تش"),
    "r": ("ر",),
    "s": ("س", "ص", "ز", "ش"),
    "t": ("ت", "ط"),
    "v": ("ف", "ب"),
    "x": ("ش", "كس", "س", "ز"),
    "z": ("ز", "ظ", "ذ", "ض", "س", "تس"),
}
_SOFT_C = ("س", "ص", "ك")  # c before e, i, y
# What a Latin vowel letter may be written as in Arabic (besides nothing): «ترامب» for u,
# «سبايسر» for i, «زايبرت» for ei.
_VOWELS = {
    "a": ("ا",),
    "e": ("ي", "ا", "اي"),
    "i": ("ي", "اي"),
    "o": ("و",),
    "u": ("و", "ا"),
    "y": ("ي",),
    "w": ("و",),
}
_MAGIC_E = re.compile(r"[bcdfgklmnpstvz]e(?:[sy]|$)")
#: English a in an open syllable before i and a consonant: Davis «ديفيس», David «ديفيد».
_OPEN_A = re.compile(r"[bdfgklmnpstvz]i[a-z]")
_LATIN_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|at|an|ash|az)-")
#: How a name's form with its article kept starts («ٱ», a letter no name is written with).
_KEPT_ARTICLE = "ٱل"


def has_latin(text: str) -> bool:
    """Whether the text contains Latin letters."""
    return any("a" <= ch.lower() <= "z" for ch in text)


def arabic_form(word: str) -> str:
    """One Arabic word as a Latin spelling would render it, for matching.

    Drops the article and hamza carriers (a «ئ» after «ا» is read «ي»: "Caid" «قائد»),
    and merges doubled letters; long vowels stay,
    as the Latin vowels must allow them, and so does «ع», which a Latin vowel must
    stand for: first ("Abbas", "Omar") or after a vowel ("Saud", "Ismail"). An article before a
    sun letter leaves its «ا» ("Essebsi" «السبسي»), and a final
    «ه»/«ة» (a Latin spelling ends with a vowel or an h there: "Hamza", "Attiyah"):
    «الأسد» -> «اسد», «العطية» -> «عطيه», «عباس» -> «عباس», «سعود» -> «سعود».
    """
    word = normalize_arabic(word).translate(_ARABIC_FOREIGN)
    if word.startswith("ال") and len(word) > 4:
        word = word[2:]
        if word[0] in _SUN_LETTERS:  # the article's vowel is heard: "Essebsi" «السبسي»
            return "ا" + arabic_form(word)
    word = word.replace("ائ", "اي")  # «قائد», «وائل»: the seat is heard as i ("Caid", "Wail")
    last = "ه" if word.endswith("ه") and len(word) > 2 else ""
    word = word[: len(word) - len(last)]
    return merge_doubles("".join(ch for ch in word if ch not in _ARABIC_SILENT and ch.isalpha()) + last)


def run_form(words: list[str]) -> str:
    """Arabic words run together as one Latin word would spell them («نصر الله» for
    "Nasrallah", «دي ميستورا» for "de Mistura"): each word's ``arabic_form``, a first
    «ع» and a final «ه» kept only where the run starts and ends."""
    forms = [arabic_form(word) for word in words]
    inner = [f[1:] if i and f.startswith("ع") else f for i, f in enumerate(forms)]
    inner = [f[:-1] if i < len(inner) - 1 and f.endswith("ه") and len(f) > 1 else f for i, f in enumerate(inner)]
    return merge_doubles("".join(inner))


def run_forms(words: list[str]) -> tuple[str, ...]:
    """``run_form``, and for a name with «عبد» before an article the form that keeps the
    article's «ل» as Maghrebi and Levantine spellings write it ("Abdelaziz" «عبد العزيز»,
    besides "Abdulaziz", "Abderrahmane"); for a name that opens with the article, the
    form that keeps it ("Alghamdi", "Elias")."""
    norm = normalize_arabic(" ".join(words)).split()
    glued: list[str] = []
    for word in norm:
        if glued and glued[-1] == "عبد" and word.startswith("ال"):
            glued[-1] = "عبدل" + word[2:]
        else:
            glued.append(word)
    forms = [run_form(words)] if glued == norm else [run_form(words), run_form(glued)]
    if norm and norm[0].startswith("ال") and len(norm[0]) > 4:
        # The article written with the name in Latin: "Alghamdi" «الغامدي», "Elias" «الياس»
        # (marked: only a Latin word that opens with al/el may spell it, not "Hollande").
        forms.append(_KEPT_ARTICLE + run_form([norm[0][2:], *norm[1:]]))
    return tuple(dict.fromkeys(forms))


def merge_doubles(text: str) -> str:
    """Letters written twice in a row, once (a shadda is rarely written)."""
    return "".join(ch for i, ch in enumerate(text) if i == 0 or ch != text[i - 1])


def _latin_letters(word: str) -> str:
    """Lower-case ASCII letters of a Latin word, accents removed, without an Arabic article."""
    word = unicodedata.normalize("NFKD", word.lower())
    word = "".join(ch for ch in word if "a" <= ch <= "z" or ch == "-")
    word = _LATIN_PREFIX.sub("", word).replace("-", "")
    return "mac" + word[2:] if word.startswith("mc") else word  # McMaster «ماكماستر»


def _groups(word: str) -> list[tuple[str, tuple[str, ...], str]]:
    """The word as ("c", Arabic consonants, letters) and ("v", Arabic vowel spellings,
    letters) groups."""
    groups: list[tuple[str, tuple[str, ...], str]] = []
    i = 0
    while i < len(word):
        ch = word[i]
        if i == 0 and ch in "yw":  # a first y/w is a consonant: Yuval, Wang, Yi
            groups.append(("c", ("ي",) if ch == "y" else ("و",), ch))
            i += 1
            continue
        if i == 0 and word[:2] == "ou" and word[2:3] in ("a", "e", "i"):  # French w: Ouerfelli «الورفلي»
            groups.append(("c", ("و",), "ou"))
            i += 2
            continue
        if ch in _VOWELS:
            allowed, letters = ("",) + _VOWELS[ch], ch
            allowed += tuple(a + "ع" for a in allowed)  # the «ع» the vowel carries: Sa'ud «سعود»
            if ch == "a" and groups and groups[-1][0] == "c":
                allowed += ("عا",)  # or the «ع» before it: Abdelatty «عبد العاطي», Abdelali «عبد العالي»
            if ch == "a" and (_MAGIC_E.match(word, i + 1) or _OPEN_A.match(word, i + 1)):
                allowed += ("ي",)  # English a before a consonant and e: Haley «هيلي», James «جيمس»; Davis «ديفيس»
            if groups and groups[-1][0] == "v":  # a run of vowels: each letter written or not
                _, before, run = groups.pop()
                allowed, letters = tuple({a + b for a in before for b in allowed}), run + ch
            groups.append(("v", allowed, letters))
            i += 1
            continue
        chunk = next((word[i : i + n] for n in (3, 2) if word[i : i + n] in _DIGRAPHS), None)
        if chunk and not (chunk == "ng" and i + 2 < len(word) and word[i + 2] in "aeiou"):
            options, i = _DIGRAPHS[chunk], i + len(chunk)
        else:
            options = _SOFT_C if ch == "c" and word[i + 1 : i + 2] in ("e", "i", "y") else _LETTERS.get(ch, ())
            if ch == "v" and word[i + 1 : i + 2] in _VOWELS:
                options += ("و",)  # a Turkish v before a vowel: Cavusoglu «جاويش أوغلو»
            if ch == "j" and 0 < i and word[i - 1] not in _VOWELS and word[i + 1 : i + 2] in _VOWELS:
                options += ("ي",)  # a j after a consonant is a y: Bjoern «بيورن», Kjell «كيل»
            if ch == "p" and word[i - 1 : i] == "m" and word[i + 1 : i + 2] in ("s", "t"):
                options += ("",)  # a silent p: Thompson «طومسون»
            if ch == "h" and 0 < i < len(word) - 1 and word[i - 1] in _VOWELS and word[i + 1] in _VOWELS:
                options = tuple(o for o in options if o)  # an h between vowels is heard: Rouhani «روحاني», not «روني»
            chunk, i = ch, i + 1
        if options and not (groups and groups[-1][:2] == ("c", options)):  # a doubled letter is written once
            groups.append(("c", options, chunk))
    if word.endswith("t") and len(word) >= 5 and groups and groups[-1][:2] == ("c", _LETTERS["t"]):
        groups[-1] = ("c", _LETTERS["t"] + ("د",), "t")  # Turkish writes a final d as t: Mahmut «محمود», Ahmet «أحمد»
    if word.endswith("h") and groups and groups[-1][:2] == ("c", _LETTERS["h"]):
        groups[-1] = ("c", ("ح", ""), "h")  # a final h is a vowel's (Attiyah, Shah) or «ح» (Sobeih «صبيح»)
    return [_written_vowels(g, n == len(groups) - 1, groups[n - 1] if n else None) for n, g in enumerate(groups)]


def _written_vowels(group, last: bool, before) -> tuple[str, tuple[str, ...], str]:
    """The vowels Arabic writes: a final a may be «ى» (Musa «موسى»); a final i or y is «ي»
    or «ى» (Xi «شي», not «شاي»; after a y, as in Yi «يي», the two are one letter once
    doubles merge), a diphthong into i or y with a «ي» (Jubeir «الجبير», not «الجابر»;
    not the French oi of Francois «فرانسوا»), and the French eau as «و» (Trudeau «ترودو»)."""
    kind, options, letters = group
    if kind != "v":
        return group
    if last and letters == "a" and before and before[0] == "c":
        options += ("ى",)  # Musa «موسى», Mustafa «مصطفى», Layla «ليلى»
    elif last and letters in ("ya", "ia"):
        options += ("يى",)  # Yahya, Yehia «يحيى»
    elif last and letters in ("i", "y"):
        options = ("ي", "ى", "") if before and before[1] == ("ي",) else ("ي", "ى")  # Morsi «مرسى» too
    elif len(letters) > 1 and letters[-1] in "iy" and letters[-2:] not in ("oi", "oy"):
        options = tuple(o for o in options if "ي" in o)
    elif letters == "eau":
        options = tuple(o for o in options if "و" in o)
    return kind, options, letters


@lru_cache(maxsize=4096)
def latin_pattern(word: str) -> re.Pattern[str] | None:
    """A regular expression matching the Arabic forms that may spell a Latin word.

    Consonants map to the Arabic letters they may stand for (g -> ج/غ/ق, sh -> ش, x -> ش
    as in Xi); a Latin vowel may be written as a long vowel (a -> ا, o -> و, u -> و/ا,
    e -> ي/ا, i -> ي/اي) or not at all, but an Arabic long vowel needs a Latin vowel in
    its place, so that "Tamim" matches «تميم» and not «توم».

    Args:
        word: one Latin-script word ("Erdogan", "Xi", "al-Jubeir").

    Returns:
        A compiled pattern to ``fullmatch`` against ``arabic_form`` of one or more
        joined Arabic words, or None when the word has no consonant.
    """
    letters = _latin_letters(word)
    whole = _pattern_text(letters)
    if whole and len(letters) >= 6 and letters.startswith("la"):
        # A Maghrebi spelling runs the article in: Laarayedh «العريض», Ladhari «العذاري».
        rest = _pattern_text(letters[1:])
        whole = f"(?:{whole}|{rest})" if rest else whole
    return re.compile(whole) if whole else None


def _pattern_text(letters: str) -> str | None:
    """``latin_pattern``'s expression for lower-case Latin letters, None without a consonant."""
    groups = _groups(letters)
    if not any(kind == "c" and any(options) for kind, options, _ in groups):
        return None
    # A first vowel needs its seat, «ا» or «ع»; before a consonant an «ا» may be written;
    # al/el may be the article kept with the name.
    seat = f"(?:{_KEPT_ARTICLE[0]}|ا|ع)" if letters[:2] in ("al", "el") else "(?:ا|ع)"
    parts = [seat if groups[0][0] == "v" else "ا?"]
    for _, options, _ in groups:
        body = "(?:" + "|".join(sorted({alt for alt in options if alt}, key=len, reverse=True)) + ")"
        parts.append(body + "?" if "" in options else body)
    if letters[-1:] in ("a", "e", "i", "o", "u", "y", "h"):
        parts.append("ه?")  # a final «ة»: "Hamza" «حمزة», "Attiyah" «العطية»
    return "".join(parts)


def latin_matches(word: str, arabic: str) -> bool:
    """Whether a Latin word may be a spelling of an Arabic word (or words, joined)."""
    pattern = latin_pattern(word)
    if not pattern:
        return False
    forms = _word_forms(arabic) if " " not in arabic else run_forms(arabic.split())
    return any(form and pattern.fullmatch(form) for form in forms)


@lru_cache(maxsize=1 << 16)
def _word_forms(word: str) -> tuple[str, ...]:
    """``run_forms`` of one word, remembered: a question about someone nobody quoted
    compares the name with every word of the passages searched, and words repeat."""
    return run_forms([word])
