"""The words a date line may hold, by language: month names, weekdays, labels, bylines.

Month and weekday names come from dateparser's own translation data, read as text (importing
dateparser costs 0.7 s); the labels and byline words are ours. dates.py scans lines with them.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re

# Month and weekday names are always recognised in these languages (their dateparser month
# tokens do not collide). Other dateparser languages are added only when passed as `lang`.
BASE_LANGS = (
    "en", "de", "fr", "es", "it", "pl", "ru", "uk", "lv", "lt",
    "et", "fi", "sv", "da", "nb", "nl", "cs", "pt",
)  # fmt: skip
_LANG_ALIASES = {"no": "nb"}  # language detectors say "no", dateparser calls it "nb"

_MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_WORD_KEYS = frozenset(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "skip")
)

# Words that may surround a date on a date line: labels, prepositions, time-of-day and zone
# words. dateparser has no labels, so these are ours; weekdays and fillers come from its data.
NOISE = frozenset(
    """
    a am an and at on of the in from pm t z und et y e i og och en ja un ir и і
    published publish publication posted updated update last modified created first date dated
    edited issued released originally time story
    veröffentlicht aktualisiert um uhr stand zuletzt erstellt geändert datum vom erschienen
    publiziert aktualisierung
    publié publiée publie le la mis mise à jour modifié actualisé créé dernière
    publicado publicada actualizado actualizada el fecha de del las
    pubblicato pubblicata aggiornato aggiornata il alle ore data
    opublikowano opublikowany aktualizacja zaktualizowano publikacji dodano aktualizacji o godz
    godzina w r roku
    опубликовано обновлено дата публикации обновления в г года год изменено
    опубліковано оновлено публікації оновлення о об р року
    avaldatud uuendatud muudetud kell
    publicēts atjaunots publicēšanas datums gada g plkst atjaunināts
    paskelbta atnaujinta publikuota m d
    julkaistu päivitetty klo muokattu
    publicerad publicerat uppdaterad uppdaterat den kl klockan
    publiceret opdateret publisert oppdatert
    gepubliceerd bijgewerkt laatst op om geplaatst aangepast
    zveřejněno aktualizováno publikováno aktualizace v
    atualizado atualizada em às
    utc gmt cet cest eet eest msk bst est edt cst cdt mst mdt pst pdt wet west
    """.split()
)
# A byline word before any other words lets a few capitalised names through ("By Jane Doe |").
BYLINE = frozenset(
    "by von par por di door av af autor autorius autors автор автори kirjoittanut written "
    "text tekst teksti texto testo".split()
)


@functools.cache
def _data_dir() -> str | None:
    # find_spec does not run dateparser/__init__.py, so reading its data stays cheap.
    spec = importlib.util.find_spec("dateparser")
    if spec is None or not spec.submodule_search_locations:
        return None
    base = list(spec.submodule_search_locations)[0]
    return os.path.join(base, "data", "date_translation_data")


_DATA_KEY = re.compile(r'\s*"([a-z]+)": \[\s*$')


def _read_lists(path: str) -> dict[str, list[str]]:
    """Read the month/weekday/skip lists of one data file (one JSON string per line)."""
    out: dict[str, list[str]] = {}
    key = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if key is None:
                m = _DATA_KEY.match(line)
                if m and (m.group(1) in _WORD_KEYS or m.group(1) in _MONTH_KEYS):
                    key = m.group(1)
            elif line.lstrip().startswith("]"):
                key = None
            else:
                try:
                    item = json.loads(line.strip().rstrip(","))
                except ValueError:
                    continue
                if isinstance(item, str):
                    out.setdefault(key, []).append(item)
    return out


def _inflections(code: str, name: str) -> list[str]:
    """Case forms news use that dateparser lacks (only for full names, not abbreviations)."""
    if len(name) < 5:
        return []
    if code == "lv":  # locative: februārī, martā ("2022. gada 14. februārī")
        if name.endswith("is"):
            return [name[:-2] + "ī"]
        if name.endswith("s"):
            return [name[:-1] + "ā"]
    if code == "et":  # adessive: märtsil, septembril ("15. märtsil 2022")
        if name.endswith("ber"):
            return [name[:-2] + "ril"]
        return [name + ("l" if name[-1] in "aeiou" else "il")]
    return []


@functools.lru_cache(maxsize=64)
def _lang_table(code: str) -> tuple[dict[str, int], frozenset[str]] | None:
    """Month token -> month number, and weekday/filler words, for one dateparser language."""
    base = _data_dir()
    if base is None:
        return None
    try:
        lists = _read_lists(os.path.join(base, code + ".py"))
    except OSError:
        return None
    months: dict[str, int] = {}
    for num, key in enumerate(_MONTH_KEYS, 1):
        for item in lists.get(key, ()):
            tok = item.lower().strip(" .")
            for form in (tok, *_inflections(code, tok)):
                months.setdefault(form, num)
    words = {
        w.strip(".")
        for key in _WORD_KEYS
        for item in lists.get(key, ())
        for w in re.split(r"[\s-]+", item.lower().replace("’", "'"))  # "terça-feira"
    }
    words = {w for w in words if len(w) >= 2 or (w and w in "mdgr")} - months.keys()
    return months, frozenset(words)


@functools.cache
def _base_table() -> tuple[dict[str, int], frozenset[str]]:
    months: dict[str, int] = {}
    clashes: set[str] = set()
    words: set[str] = set()
    for code in BASE_LANGS:
        table = _lang_table(code)
        if table is None:
            continue
        for tok, num in table[0].items():
            if months.setdefault(tok, num) != num:
                clashes.add(tok)
        words |= table[1]
    for tok in clashes:  # a token meaning two months is useless without a language
        del months[tok]
    return months, frozenset(words - months.keys())


@functools.lru_cache(maxsize=64)
def norm_lang(lang: str | None) -> str | None:
    """'pl', 'PL', 'pt-BR', 'no' -> a dateparser data file name, or None."""
    if not lang:
        return None
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    code = _LANG_ALIASES.get(code, code)
    if not re.fullmatch(r"[a-z]{2,3}", code):
        return None
    base = _data_dir()
    if base is None or not os.path.exists(os.path.join(base, code + ".py")):
        return None
    return code


@functools.lru_cache(maxsize=64)
def tables(lang: str | None) -> tuple[dict[str, int], frozenset[str]]:
    """Month token -> month number, and weekday/filler words: the base languages' and `lang`'s."""
    months, words = _base_table()
    code = norm_lang(lang)
    if code is None or code in BASE_LANGS:
        return months, words
    extra = _lang_table(code)
    if extra is None:
        return months, words
    merged = {**months, **extra[0]}  # the named language wins a clash
    return merged, (words | extra[1]) - merged.keys()
