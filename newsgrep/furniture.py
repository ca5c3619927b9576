"""Remove site furniture (comment forms, "Read also" lists, share/cookie/ad lines) from bodies.

Scrapers hand us the whole page text, so an article body often ends with (and sometimes
contains) text that belongs to the website, not to the story: a "Read also" list of unrelated
headlines, a comment form, share buttons, cookie notices, copyright lines. If that text is
indexed, a search for a word in an unrelated headline finds this article. `strip_furniture`
drops such lines while keeping every line of the story itself.

Three rules, applied in this order:

1. Tail cut: a comment-form starter ("Leave a Reply", "Comments (12)", "Dodaj komentarz")
   standing on its own line ends the article; it and everything after it is dropped.
2. List blocks: a standalone list heading ("Read also", "Others are currently reading",
   "Читайте также") is dropped together with the headline-like lines that follow it, up to
   the first line that looks like a body paragraph again (long, or ending in sentence
   punctuation; see `_is_headline`). A heading that carries its headline inline ("Read also:
   Ministers meet in Riga") is a single line, and only that line goes.
3. Single lines: short lines that strongly look like furniture (share buttons, "Advertisement",
   "Sign up for our newsletter", cookie notices, copyright, comment-form boilerplate) are
   dropped wherever they are.

All pattern lists below are data, keyed by language, so that adding a language or a site's
wording is a one-line change. Most are tuples of lower-case regex fragments (matching ignores
case; a plain space matches any run of whitespace, " ?" optional whitespace, so do not put a
literal space inside a character class); `FURNITURE_PHRASES`, `FURNITURE_LINE_END` and
`FURNITURE_LINK_SUFFIX` are plain text. Everything is compiled once at import. The big
alternations are split by first character (see `_Bucketed`) because Python's `re` would
otherwise try hundreds of alternatives on every line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

__all__ = ["strip_furniture"]

# ---------------------------------------------------------------------------------------------
# Pattern data
# ---------------------------------------------------------------------------------------------

# Rule 1. A line that is exactly one of these starts the comment section; nothing after it is
# ever article text.
TAIL_MARKERS: dict[str, tuple[str, ...]] = {
    "en": (
        r"leave a reply(?: to .{1,80}?)?(?: cancel reply)?",
        r"leave a comment", r"add (?:a |your )?comment", r"post a comment",
        r"write a comment", r"comments(?: \(\d+\)| \d+)?", r"comment \(\d+\)", r"\d+ comments?",
        r"(?:show|view|read|load) (?:all )?(?:\d+ )?comments", r"comments are closed",
        r"join the (?:discussion|conversation)",
    ),
    "lv": (
        r"atstāt komentāru", r"atstāj komentāru", r"pievienot komentāru", r"komentāri",
        r"atstāj atbildi", r"atstāt atbildi", r"komentēt", r"raksti komentāru",
    ),
    "pl": (
        r"dodaj komentarz", r"zostaw komentarz", r"napisz komentarz", r"skomentuj",
        r"komentarze(?: \(\d+\))?", r"zostaw odpowiedź",
    ),
    "ru": (
        r"оставить комментарий", r"оставьте комментарий", r"добавить комментарий",
        r"написать комментарий", r"комментарии(?: \(\d+\))?", r"оставить ответ",
        r"обсуждение",
    ),
    "uk": (
        r"залишити коментар", r"залиште коментар", r"додати коментар", r"написати коментар",
        r"коментарі(?: \(\d+\))?", r"залишити відповідь",
    ),
    "et": (
        r"lisa kommentaar", r"jäta kommentaar", r"kommenteeri", r"kommentaarid(?: \(\d+\))?",
        r"lisa vastus", r"jäta vastus",
    ),
    "lt": (
        r"parašykite komentarą", r"palikite komentarą", r"komentuoti", r"komentarai(?: \(\d+\))?",
        r"parašykite atsiliepimą", r"rašyti komentarą",
    ),
    "de": (
        r"schreibe einen kommentar", r"kommentar hinterlassen", r"kommentar schreiben",
        r"hinterlasse einen kommentar", r"kommentare(?: \(\d+\))?", r"antworten abbrechen",
    ),
    "fr": (
        r"laisser un commentaire", r"laisser une réponse", r"ajouter un commentaire",
        r"écrire un commentaire", r"commentaires(?: \(\d+\))?", r"réagir",
    ),
    "es": (
        r"deja una respuesta", r"deja un comentario", r"dejar un comentario",
        r"añadir (?:un )?comentario", r"escribe un comentario", r"comentarios(?: \(\d+\))?",
    ),
    "it": (
        r"lascia un commento", r"lascia una risposta", r"aggiungi un commento",
        r"scrivi un commento", r"commenti(?: \(\d+\))?",
    ),
    "nl": (
        r"laat een reactie achter", r"plaats een reactie", r"geef een reactie",
        r"reageer", r"reacties(?: \(\d+\))?",
    ),
    "sv": (r"lämna ett svar", r"lämna en kommentar", r"skriv en kommentar",
           r"kommentarer(?: \(\d+\))?", r"kommentera"),
    "no": (r"legg igjen en kommentar", r"legg igjen et svar", r"skriv en kommentar",
           r"kommentarer(?: \(\d+\))?"),
    "da": (r"efterlad en kommentar", r"efterlad et svar", r"skriv en kommentar",
           r"kommentarer(?: \(\d+\))?"),
    "fi": (r"jätä kommentti", r"lisää kommentti", r"kirjoita kommentti", r"kommentoi",
           r"kommentit(?: \(\d+\))?", r"jätä vastaus"),
    "cs": (r"napsat komentář", r"přidat komentář", r"napište komentář", r"zanechte komentář",
           r"komentáře(?: \(\d+\))?", r"diskuze", r"diskuse"),
    "pt": (r"deixe uma resposta", r"deixe um comentário", r"deixe o seu comentário",
           r"adicionar comentário", r"comentários(?: \(\d+\))?", r"comente"),
}

# Rule 2. Headings of "more headlines" boxes. Standalone, they are followed by a list of
# unrelated headlines, one per line; with a separator they carry one headline inline. ("More
# from <site>" stops before any separator, so "More from BBC: <headline>" is a heading with an
# inline headline, not a longer heading.)
LIST_MARKERS: dict[str, tuple[str, ...]] = {
    "en": (
        r"others are (?:currently |now )?reading", r"people are (?:also )?reading",
        r"what others are reading", r"read also", r"also read", r"read more",
        r"read more (?:from|on|about) [^:：|»›>→.!?]{1,60}?\.?", r"read next", r"read this next",
        r"related",
        r"related (?:articles?|stories|story|news|posts?|content|coverage|links|reading)",
        r"see related", r"see also", r"more stories", r"more news",
        r"more from [^:：|»›>→.!?]{1,60}?",
        r"more on this(?: story| topic)?", r"more", r"you (?:may|might) also like",
        r"you (?:may|might) (?:also )?be interested in", r"most read", r"most (?:popular|viewed)",
        r"popular(?: now| posts| stories| news)?", r"recommended(?: for you| stories| articles)?",
        r"trending(?: now| stories)?", r"top stories", r"latest(?: news| stories)?",
        r"editor'?s'? picks", r"don'?t miss", r"what to read next", r"further reading",
        r"in other news",
    ),
    "lv": (
        r"lasiet arī", r"lasi arī", r"lasiet vēl", r"citi šobrīd lasa", r"citi lasa",
        r"saistītie raksti", r"saistītās ziņas", r"skatiet arī", r"skaties arī",
        r"populārākie", r"populāri", r"iesakām", r"vairāk ziņu", r"jaunākās ziņas",
    ),
    "pl": (
        r"czytaj także", r"czytaj też", r"czytaj również", r"czytaj więcej", r"zobacz też",
        r"zobacz także", r"zobacz również", r"przeczytaj też", r"przeczytaj także",
        r"polecamy", r"najczęściej czytane", r"najpopularniejsze", r"popularne",
        r"powiązane(?: artykuły)?", r"inni teraz czytają", r"więcej wiadomości",
    ),
    "ru": (
        r"читайте также", r"читайте ещ[её]", r"читайте по теме", r"читать также",
        r"смотрите также", r"см\. также", r"по теме", r"ещ[её] по теме", r"новости по теме",
        r"похожие (?:статьи|новости|материалы)", r"популярное", r"самое читаемое",
        r"самое популярное", r"рекомендуем", r"другие новости", r"сейчас читают",
        r"вам может быть интересно", r"вас может заинтересовать",
    ),
    "uk": (
        r"читайте також", r"читайте ще", r"читайте більше", r"читайте на тему",
        r"дивіться також", r"по темі", r"за темою", r"новини за темою",
        r"схожі (?:статті|новини|матеріали)", r"популярне", r"найпопулярніше",
        r"найчитаніше", r"рекомендуємо", r"інші новини", r"зараз читають",
        r"вас може зацікавити", r"вам може бути цікаво",
    ),
    "et": (
        r"loe ka", r"loe lisaks", r"loe veel", r"vaata ka", r"seotud (?:artiklid|uudised|lood)",
        r"populaarsed?", r"loetuimad", r"soovitame", r"teised loevad praegu", r"teised loevad",
        r"veel uudiseid",
    ),
    "lt": (
        r"skaitykite taip pat", r"taip pat skaitykite", r"taip pat skaitykite ir",
        r"susiję straipsniai", r"susijusios naujienos", r"populiariausi", r"skaitomiausi",
        r"rekomenduojame", r"daugiau naujienų", r"kiti dabar skaito", r"kiti skaito",
    ),
    "de": (
        r"lesen sie auch", r"lesen sie mehr", r"lies auch", r"auch interessant",
        r"ebenfalls interessant", r"mehr zum thema", r"zum thema", r"siehe auch",
        r"das könnte (?:sie|dich) auch interessieren", r"weitere artikel",
        r"verwandte artikel", r"ähnliche artikel", r"meistgelesen", r"meistgelesene artikel",
        r"beliebt", r"empfohlen", r"mehr (?:aus|von) [^:：|»›>→.!?]{1,60}?", r"weiterlesen",
        r"andere lesen gerade",
    ),
    "fr": (
        r"lire aussi", r"[àa] lire aussi", r"[àa] lire également", r"lisez aussi",
        r"lire également", r"voir aussi", r"[àa] voir aussi", r"sur le même sujet",
        r"articles? (?:similaires|liés|associés)", r"les plus lus", r"populaires?",
        r"recommandés?", r"vous aimerez (?:peut-être )?aussi", r"plus d'articles",
        r"dans la même rubrique", r"lire plus", r"lire la suite",
    ),
    "es": (
        r"lee también", r"lea también", r"te puede interesar", r"le puede interesar",
        r"también te puede interesar", r"te podría interesar", r"quizás te interese",
        r"noticias relacionadas", r"artículos relacionados", r"relacionad[oa]s?",
        r"lo más leído", r"más leídas?", r"más noticias", r"leer más", r"ver también",
        r"recomendad[oa]s?",
    ),
    "it": (
        r"leggi anche", r"leggi pure", r"potrebbe interessarti", r"ti potrebbe interessare",
        r"articoli correlati", r"notizie correlate", r"correlati", r"i più letti",
        r"più letti", r"leggi di più", r"vedi anche", r"consigliati", r"altre notizie",
    ),
    "nl": (
        r"lees ook", r"lees meer", r"lees verder", r"gerelateerd(?:e artikelen)?",
        r"meest gelezen", r"populair", r"aanbevolen", r"ook interessant", r"bekijk ook",
        r"meer nieuws", r"dit vind je misschien ook leuk",
    ),
    "sv": (
        r"läs också", r"läs även", r"läs mer", r"relaterat", r"relaterade artiklar",
        r"mest lästa?", r"populärt", r"rekommenderat", r"du kanske också gillar",
        r"fler nyheter", r"se även",
    ),
    "no": (
        r"les også", r"les mer", r"relatert", r"relaterte artikler", r"mest lest",
        r"populært", r"anbefalt", r"du vil kanskje også like", r"flere nyheter", r"se også",
    ),
    "da": (
        r"læs også", r"læs mere", r"relateret", r"relaterede artikler", r"mest læste",
        r"populært", r"anbefalet", r"du vil måske også kunne lide", r"flere nyheder",
        r"se også",
    ),
    "fi": (
        r"lue myös", r"lue lisää", r"aiheesta lisää", r"aiheeseen liittyvät(?: artikkelit)?",
        r"luetuimmat", r"suosituimmat", r"suositeltua", r"suosittelemme", r"katso myös",
        r"lisää uutisia", r"muut lukevat nyt",
    ),
    "cs": (
        r"čtěte také", r"čtěte též", r"čtěte rovněž", r"přečtěte si také",
        r"přečtěte si též", r"související(?: články| zprávy)?", r"nejčtenější",
        r"populární", r"doporučujeme", r"mohlo by vás zajímat", r"další zprávy",
        r"podívejte se také",
    ),
    "pt": (
        r"leia também", r"leia mais", r"leia ainda", r"veja também", r"saiba mais",
        r"relacionad[oa]s", r"artigos relacionados", r"notícias relacionadas",
        r"(?:as )?mais lidas", r"recomendad[oa]s?", r"você (?:também )?pode gostar",
        r"pode também gostar", r"mais notícias",
    ),
}

# Rule 3a. The whole (short) line is one of these: buttons, ad labels, widget captions.
FURNITURE_EXACT: dict[str, tuple[str, ...]] = {
    "en": (
        r"advertisement", r"advertising", r"ad", r"ads", r"ad feedback", r"sponsored",
        r"sponsored content", r"paid content", r"promoted(?: content)?", r"partner content",
        r"(?:advertisement )?continue reading the main story",
        r"story continues below(?: advertisement)?",
        r"story continued below", r"continue reading below", r"article continues below",
        r"scroll to continue(?: with content)?", r"skip advertisement", r"loading\.*",
        r"cookie (?:policy|settings|preferences|notice)",
        r"(?:accept|reject|allow) (?:all )?cookies",
        r"manage (?:cookies|preferences)", r"cancel reply", r"post comment", r"submit comment",
        r"name ?\*", r"e-?mail(?: address)? ?\*", r"website", r"comment ?\*",
        r"slideshow \(\d+ images?\)", r"(?:next|prev) image \d+ of \d+",
        r"print(?: this)?(?: article| page)?", r"tweet(?: this)?", r"whatsapp",
    ),
    "lv": (r"reklāma", r"reklāmraksts", r"sponsorēts(?: saturs)?", r"dalies", r"dalīties"),
    "pl": (r"reklama", r"artykuł sponsorowany", r"materiał (?:sponsorowany|partnera|promocyjny)"),
    "ru": (r"реклама", r"на правах рекламы", r"партн[её]рский материал", r"спецпроект"),
    "uk": (r"реклама", r"на правах реклами", r"партнерський матеріал"),
    "et": (r"reklaam", r"sisuturundus"),
    "lt": (r"reklama", r"užsakomasis turinys", r"remiamas turinys"),
    "de": (r"anzeige", r"werbung", r"gesponsert", r"sponsored post"),
    "fr": (r"publicité", r"contenu (?:sponsorisé|partenaire)", r"sponsorisé"),
    "es": (r"publicidad", r"anuncio", r"contenido patrocinado", r"patrocinado"),
    "it": (r"pubblicità", r"contenuto sponsorizzato", r"sponsorizzato"),
    "nl": (r"advertentie", r"gesponsord"),
    "sv": (r"annons", r"sponsrat(?: innehåll)?"),
    "no": (r"annonse", r"reklame", r"sponset(?: innhold)?"),
    "da": (r"annonce", r"reklame", r"sponsoreret(?: indhold)?"),
    "fi": (r"mainos", r"mainos päättyy", r"kaupallinen yhteistyö"),
    "cs": (r"reklama", r"komerční sdělení"),
    "pt": (r"publicidade", r"conteúdo patrocinado", r"anúncio", r"patrocinado"),
}

# Rule 3b. A row of share buttons: the line consists only of these words (any order, any
# separators), e.g. "Share Tweet Email", "Share this: Facebook | Twitter".
SHARE_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        r"share(?: this)?(?: (?:article|story|post|page|video))?", r"share on", r"tweet",
        r"e-?mail", r"mail", r"print", r"pin(?: it)?", r"facebook", r"twitter", r"x",
        r"linkedin", r"whatsapp", r"telegram", r"reddit", r"pinterest", r"pocket",
        r"flipboard", r"messenger", r"viber", r"vk", r"vkontakte", r"ok", r"odnoklassniki",
        r"threads", r"bluesky", r"copy(?: link)?", r"link", r"post", r"save", r"sms", r"more",
        r"comment", r"comments",
    ),
    "lv": (r"dalīties", r"dalies", r"kopīgot", r"drukāt"),
    "pl": (r"udostępnij", r"podziel się", r"drukuj", r"skopiuj link"),
    "ru": (r"поделиться", r"отправить", r"печать", r"скопировать ссылку", r"твитнуть"),
    "uk": (r"поділитися", r"надіслати", r"друк", r"скопіювати посилання"),
    "et": (r"jaga", r"prindi", r"kopeeri link"),
    "lt": (r"dalintis", r"pasidalinti", r"spausdinti"),
    "de": (r"teilen", r"drucken", r"link kopieren", r"twittern"),
    "fr": (r"partager", r"imprimer", r"copier le lien"),
    "es": (r"compartir", r"imprimir", r"copiar enlace"),
    "it": (r"condividi", r"stampa", r"copia link"),
    "nl": (r"delen", r"deel", r"printen", r"kopieer link"),
    "sv": (r"dela", r"skriv ut", r"kopiera länk"),
    "no": (r"del", r"skriv ut", r"kopier lenke"),
    "da": (r"del", r"print", r"kopiér link"),
    "fi": (r"jaa", r"tulosta", r"kopioi linkki"),
    "cs": (r"sdílet", r"sdílejte", r"tisk", r"tisknout", r"kopírovat odkaz"),
    "pt": (r"compartilhar", r"compartilhe", r"partilhar", r"partilhe", r"imprimir"),
}

# Rule 3c. Short lines that start with one of these calls to action or notices (the match has
# to end at the end of a word).
FURNITURE_PREFIX: dict[str, tuple[str, ...]] = {
    "en": (
        # share / follow / subscribe
        r"share (?:on|via|to|with) (?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit"
        r"|pinterest|email|e-mail|messenger|social media|your friends)",
        r"share this(?: (?:article|story|post|page))?:", r"read or share this story",
        r"follow us", r"follow me", r"follow @\w+", r"like us on", r"find us on", r"join us on",
        r"follow\b.{0,80}?\bon (?:twitter|facebook|instagram|telegram|x|linkedin|youtube"
        r"|tiktok|threads|bluesky|mastodon|google news)",
        # imperative + what to sign up for; "Sign up numbers rose" stays a sentence
        r"(?:subscribe|sign up)(?: (?:for|to|here|now|today|free|on|at|with|and|via)\b|\W*$)",
        r"get (?:our|the) .{0,60}?newsletter", r"newsletter sign-?up",
        r"want .{0,80}? in your inbox\?", r"by signing up,? you agree",
        # click here
        # "Click here, he wrote, ..." talks about the phrase; the call to action has no comma
        r"click here(?! ?,)", r"click to (?:get|read|watch|see|download|subscribe|view|learn)",
        r"click for more",
        # cookies
        r"we use cookies", r"(?:this|our) (?:web)?site uses cookies",
        r"by (?:continuing to (?:use|browse)|using) (?:this|our) (?:web)?site",
        # comment form
        r"your e-?mail(?: address)? will not be published", r"required fields are marked",
        r"save my name,? e-?mail,? and website",
        r"notify me of (?:follow-up|new) (?:comments|posts)",
        r"you must be logged in to post a comment",
        # copyright
        r"copyright ?(?:©|\(c\)|\d{4})", r"©(?: ?\d{4})?", r"\(c\) ?\d{4}",
        r"image copyright(?!.*\bimage caption\b)",  # a caption after the credit is content
        r"this material may not be published",
        # image widgets
        r"enlarge this image",
    ),
    "lv": (
        r"seko mums", r"sekojiet mums", r"seko .{0,60}? (?:facebook|twitter|instagram|telegram|x)",
        r"abonē", r"abonējiet", r"piesakies", r"pieraksties", r"spied šeit", r"klikšķini šeit",
        r"noklikšķiniet šeit", r"(?:šī )?vietne izmanto sīkdatnes", r"mēs izmantojam sīkdatnes",
        r"šajā vietnē tiek izmantotas sīkdatnes",
        r"(?:tava|jūsu) e-pasta adrese netiks publicēta",
        r"(?:obligātie|nepieciešamie) lauki ir atzīmēti",
        r"dalies (?:ar|facebook|twitter)",
    ),
    "pl": (
        r"obserwuj nas", r"śledź nas", r"dołącz do nas", r"zapisz się", r"zasubskrybuj",
        r"subskrybuj", r"kliknij tutaj", r"kliknij tu", r"udostępnij na",
        r"(?:ta |nasza )?strona (?:internetowa )?(?:używa|korzysta z|wykorzystuje)"
        r" (?:plików )?cookies?",
        r"ten serwis (?:używa|korzysta z|wykorzystuje) (?:plików )?cookies?",
        r"używamy (?:plików )?cookies?",
        r"twój adres e-?mail nie zostanie opublikowany", r"wymagane pola są oznaczone",
    ),
    "ru": (
        r"подписывайтесь", r"подпишитесь", r"подписаться на", r"следите за нами",
        r"читайте нас в", r"присоединяйтесь к нам", r"нажмите здесь", r"нажмите сюда",
        r"кликните здесь", r"жмите сюда", r"поделиться в",
        r"(?:этот |наш )?сайт использует (?:файлы )?cookies?", r"мы используем (?:файлы )?cookies?",
        r"ваш (?:адрес )?e-?mail не будет опубликован", r"ваш адрес email не будет опубликован",
        r"обязательные поля помечены",
    ),
    "uk": (
        r"підписуйтесь", r"підписуйтеся", r"підпишіться", r"підписатися на", r"слідкуйте за нами",
        r"стежте за нами", r"читайте нас у", r"читайте нас в", r"приєднуйтесь до нас",
        r"натисніть тут", r"натисніть сюди", r"клікніть тут", r"поділитися в",
        r"(?:цей |наш )?сайт використовує (?:файли )?cookies?",
        r"ми використовуємо (?:файли )?cookies?",
        r"ваша (?:e-?mail )?адреса (?:e-?mail )?не (?:оприлюднюватиметься|буде опублікована)",
        r"обов[’'ʼ]язкові поля позначені",
    ),
    "et": (
        r"jälgi meid", r"jälgige meid", r"liitu meiega", r"telli (?:meie )?uudiskiri",
        r"liitu uudiskirjaga", r"kliki siia", r"klõpsa siia", r"vajuta siia",
        r"jaga (?:facebookis|twitteris)",
        r"(?:see|meie) (?:veebi)?(?:leht|sait) kasutab küpsiseid", r"kasutame küpsiseid",
        r"(?:sinu|teie) e-posti aadressi ei avaldata",
        r"(?:kohustuslikud|nõutavad) väljad on tähistatud",
    ),
    "lt": (
        r"sekite mus", r"sek mus", r"prisijunkite prie mūsų", r"prenumeruokite",
        r"užsiprenumeruokite", r"užsisakykite naujienlaiškį", r"spauskite čia", r"paspauskite čia",
        r"spausk čia", r"dalintis (?:facebook|twitter)",
        r"(?:ši|mūsų) svetainė naudoja slapukus", r"šioje svetainėje naudojami slapukai",
        r"naudojame slapukus", r"(?:jūsų )?el\.? pašto adresas nebus skelbiamas",
        r"(?:būtini|privalomi) lauk(?:elia)?i (?:yra )?pažymėti",
    ),
    "de": (
        r"folgen sie uns", r"folge uns", r"folgt uns", r"abonnieren sie", r"jetzt abonnieren",
        r"newsletter abonnieren", r"melden sie sich .{0,40}?newsletter", r"hier anmelden",
        r"klicken sie hier", r"hier klicken", r"klicke hier",
        r"auf (?:facebook|twitter|whatsapp) teilen",
        r"(?:diese|unsere) (?:web)?seite (?:verwendet|nutzt) cookies",
        r"(?:diese|unsere) website (?:verwendet|nutzt) cookies",
        r"wir (?:verwenden|nutzen) cookies",
        r"(?:deine|ihre) e-mail-adresse wird nicht veröffentlicht",
        r"(?:erforderliche felder|pflichtfelder) sind mit",
    ),
    "fr": (
        r"suivez-nous", r"suivez nous", r"rejoignez-nous", r"abonnez-vous", r"inscrivez-vous",
        r"cliquez ici", r"partager sur", r"ce site (?:web |internet )?utilise des cookies",
        r"nous utilisons des cookies", r"en poursuivant votre navigation",
        r"votre adresse (?:e-?mail|de messagerie|courriel) ne sera pas publiée",
        r"les champs obligatoires sont indiqués",
    ),
    "es": (
        r"síguenos", r"siguenos", r"síganos", r"suscríbete", r"suscribete", r"suscríbase",
        r"regístrate", r"haz clic aquí", r"haga clic aquí", r"pulsa aquí", r"pincha aquí",
        r"clic aquí", r"compartir en",
        r"(?:este|nuestro) sitio(?: web)? (?:utiliza|usa) cookies",
        r"esta (?:web|página) (?:utiliza|usa) cookies", r"(?:utilizamos|usamos) cookies",
        r"(?:tu|su) dirección de correo electrónico no será publicada",
        r"los campos obligatorios están marcados",
    ),
    "it": (
        r"seguici", r"seguiteci", r"iscriviti", r"abbonati (?:a|ora|subito)", r"clicca qui",
        r"cliccate qui",
        r"condividi su", r"(?:questo|il nostro) sito (?:web )?(?:utilizza|usa) (?:i )?cookies?",
        r"(?:utilizziamo|usiamo) (?:i )?cookies?",
        r"il tuo indirizzo (?:e-?mail )?non sarà pubblicato",
        r"i campi obbligatori sono contrassegnati",
    ),
    "nl": (
        r"volg ons", r"abonneer", r"schrijf je in", r"meld je aan", r"klik hier", r"deel op",
        r"(?:deze|onze) (?:web)?site (?:maakt gebruik van|gebruikt) cookies",
        r"(?:wij|we) gebruiken cookies", r"(?:je|uw) e-?mailadres wordt niet gepubliceerd",
        r"vereiste velden zijn gemarkeerd",
    ),
    "sv": (
        r"följ oss", r"prenumerera", r"anmäl dig", r"klicka här", r"dela på",
        r"(?:den här|denna|vår) webbplats(?:en)? använder (?:cookies|kakor)",
        r"vi använder (?:cookies|kakor)", r"din e-postadress kommer inte (?:att )?publiceras",
        r"obligatoriska fält är märkta",
    ),
    "no": (
        r"følg oss", r"abonner", r"meld deg på", r"klikk her", r"trykk her", r"del på",
        r"(?:denne|vår) (?:nettsiden?|siden?) bruker (?:informasjonskapsler|cookies)",
        r"vi bruker (?:informasjonskapsler|cookies)", r"din e-postadresse vil ikke bli publisert",
        r"obligatoriske felt er merket",
    ),
    "da": (
        r"følg os", r"abonnér", r"tilmeld dig", r"klik her", r"tryk her", r"del på",
        r"(?:dette|vores) (?:web)?site bruger cookies", r"denne hjemmeside bruger cookies",
        r"vi bruger cookies", r"din e-?mailadresse vil ikke blive publiceret",
        r"(?:krævede|påkrævede) felter er markeret",
    ),
    "fi": (
        r"seuraa meitä", r"tilaa (?:\S+ ){0,3}?(?:uutiskirje\w*|nyt)", r"klikkaa tästä",
        r"napsauta tästä", r"jaa facebookissa",
        r"tämä (?:verkko)?sivusto käyttää evästeitä", r"käytämme evästeitä",
        r"sähköpostiosoitettasi ei julkaista", r"pakolliset kentät on merkitty",
    ),
    "cs": (
        r"sledujte nás", r"přihlaste se k odběru", r"odebírejte", r"předplaťte si",
        r"klikněte zde", r"klikněte sem", r"klikni zde", r"sdílet na",
        r"tento web používá (?:soubory )?cookies?",
        r"(?:tyto|naše) (?:webové )?stránky používají (?:soubory )?cookies?",
        r"používáme (?:soubory )?cookies?", r"vaše e-mailová adresa nebude zveřejněna",
        r"(?:vyžadované informace|povinné údaje) jsou označeny",
    ),
    "pt": (
        r"siga-nos", r"siga nos", r"acompanhe-nos", r"inscreva-se", r"assine", r"subscreva",
        r"clique aqui", r"carregue aqui", r"compartilhe no", r"partilhe no",
        r"este (?:site|sítio) (?:utiliza|usa) cookies", r"(?:utilizamos|usamos) cookies",
        r"(?:o )?(?:seu )?endereço de e-?mail não será publicado",
        r"campos obrigatórios (?:são )?marcados",
    ),
}

# Rule 3d. Plain phrases (not regexes) that mark a short line as furniture wherever they occur
# in it; checked with a case-insensitive substring test, which is much faster than a regex.
FURNITURE_PHRASES: dict[str, tuple[str, ...]] = {
    "en": ("akismet", "all rights reserved"),
    "lv": ("visas tiesības aizsargātas",),
    "pl": ("wszelkie prawa zastrzeżone",),
    "ru": ("все права защищены",),
    "uk": ("усі права захищені", "всі права захищені", "всі права захищено"),
    "et": ("kõik õigused kaitstud",),
    "lt": ("visos teisės saugomos",),
    "de": ("alle rechte vorbehalten",),
    "fr": ("tous droits réservés",),
    "es": ("todos los derechos reservados",),
    "it": ("tutti i diritti riservati",),
    "nl": ("alle rechten voorbehouden",),
    "sv": ("alla rättigheter förbehållna",),
    "no": ("alle rettigheter reservert",),
    "da": ("alle rettigheder forbeholdes", "alle rettigheder forbeholdt"),
    "fi": ("kaikki oikeudet pidätetään",),
    "cs": ("všechna práva vyhrazena",),
    "pt": ("todos os direitos reservados",),
}

# Rule 3e. Plain phrases (not regexes) that close a short line as a call to action after some
# text: "For more coverage, click here." / "... newsletter. Sign up here." / Guardian-style
# "Some headline Read more". Trailing punctuation is ignored; the phrase must start a word.
FURNITURE_LINE_END: dict[str, tuple[str, ...]] = {
    "en": (
        "sign up here", "sign up now", "sign up today", "subscribe here", "subscribe now",
        "subscribe today", "click here",
    ),
    "pl": ("kliknij tutaj",),
    "ru": ("нажмите здесь",),
    "uk": ("натисніть тут",),
    "de": ("hier klicken", "klicken sie hier"),
    "fr": ("cliquez ici",),
    "es": ("haz clic aquí", "haga clic aquí"),
    "it": ("clicca qui",),
    "nl": ("klik hier",),
    "sv": ("klicka här",),
    "no": ("klikk her",),
    "da": ("klik her",),
    "cs": ("klikněte zde",),
    "pt": ("clique aqui",),
}

# Rule 3f. Link labels glued to the end of a headline, with nothing after them: Guardian-style
# "Some headline Read more". Plain text; "Readers can read more." is a sentence and stays.
FURNITURE_LINK_SUFFIX: dict[str, tuple[str, ...]] = {
    "en": ("read more",),
}

# Rule 3g. Calls to action that start a later sentence of a short line: "ProPublica is a
# nonprofit newsroom. Sign up to receive our biggest stories." A comma after "click here"
# means the phrase is being talked about, not offered ("Click here, he wrote, ...").
FURNITURE_SENTENCE_START: dict[str, tuple[str, ...]] = {
    "en": (
        r"sign up to receive", r"(?:sign up|subscribe) (?:for|to) (?:our|the|free|daily|weekly)\b",
        r"click here\b(?!\s*,)",
    ),
}

# Length limits. Furniture lines are short; a long line is a paragraph, whatever it starts with.
MAX_FURNITURE_LEN = 200  # single furniture lines (rule 3) and marker lines (rules 1, 2)
MAX_HEADLINE_LEN = 250  # a line in a list block longer than this is body text again
MAX_QUESTION_HEADLINE_LEN = 150  # see _is_question_headline

# ---------------------------------------------------------------------------------------------
# Compiled regexes
# ---------------------------------------------------------------------------------------------

# Decoration around labels: bullets, dashes, arrows, emoji pointers ("» Read also »", "▶ More").
# It is stripped before matching. Quotes are deliberately not decoration: a line opening with a
# quote is someone speaking.
_LEAD_CHARS = "-–—•·*>»›►▶→➤➡⮕|#_~+=👉📌🔗📰\ufe0f\u200b\ufeff"
_TRAIL = r"(?:\s*(?:[:：|»›>→►▶➤➡⮕⟶↓⬇⤵▼–—\-\ufe0f👇]|\.{2,}|…))*\s*"
# What separates an inline list heading from its headline. A colon, bar or arrow is a strong
# sign ("Read more: X", "Related » X"). A dash or an ellipsis also occurs in prose ("More - much
# more - was at stake."), so after those the line must look like a headline too. A bare hyphen
# needs a space before it, so "Related-party deals ..." is never a heading.
_INLINE_SEP_STRONG = r"\s*[:：|»›>→►▶➤➡⮕]\s*"
_INLINE_SEP_WEAK = r"(?:\s+[–—\-]|\s*(?:\.{2,}|…))\s*"
_SHARE_SEP = r"[\s|/·•,:;]+"
_FLAGS = re.IGNORECASE
_REGEX_META = set("\\()[].^$|?*+{")
_SPACE_RE = re.compile(r" ([?*])?")


def _space(m: re.Match[str]) -> str:
    # " ?" / " *" -> optional whitespace; any other space -> one or more whitespace characters.
    return r"\s*" if m.group(1) else r"\s+"


def _fragments(*groups: Mapping[str, tuple[str, ...]]) -> list[str]:
    frags = {_SPACE_RE.sub(_space, f) for group in groups for fs in group.values() for f in fs}
    # Longest first so that "related articles" is tried before "related".
    return sorted(frags, key=lambda f: (-len(f), f))


def _first_char(fragment: str) -> str | None:
    """The literal first character every match of `fragment` starts with, if there is one."""
    if not fragment or fragment[0] in _REGEX_META or fragment[1:2] in ("?", "*", "{"):
        return None
    depth, i = 0, 0
    while i < len(fragment):  # a top-level "a|b" could start with either letter
        c = fragment[i]
        if c == "\\":
            i += 1
        elif c == "[":
            i = fragment.find("]", i + 2)  # "[]...]" is not used in our fragments
            if i < 0:
                return None
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return None
        i += 1
    return fragment[0].lower()


def _plain(group: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The plain-text phrases of `group`, lower-cased and with single spaces."""
    return sorted({" ".join(p.lower().split()) for fs in group.values() for p in fs})


def _alt(frags: Iterable[str]) -> str:
    return "(?:" + "|".join(frags) + ")"


class _Bucketed:
    """One big alternation, split by the first character of each alternative.

    Python's `re` tries the alternatives of a group one after another, so a 400-way
    alternation is slow even when anchored. Every line is tested against it, and most lines
    start with a character that only a handful of alternatives can start with, so we compile
    one regex per first character (plus the alternatives with no fixed first character) and
    pick the regex by looking at the line. `template` receives each bucket's alternation.
    """

    def __init__(self, frags: list[str], template: Callable[[list[str]], str]) -> None:
        fixed: dict[str, list[str]] = {}
        loose: list[str] = []
        for f in frags:
            c = _first_char(f)
            if c is None:
                loose.append(f)
            else:
                fixed.setdefault(c, []).append(f)
        self._by_char = {
            c: re.compile(template(fs + loose), _FLAGS) for c, fs in fixed.items()
        }
        self._loose = re.compile(template(loose), _FLAGS) if loose else None

    def _regex(self, s: str) -> re.Pattern[str] | None:
        return self._by_char.get(s[:1].lower(), self._loose)

    def fullmatch(self, s: str) -> bool:
        r = self._regex(s)
        return r is not None and r.fullmatch(s) is not None

    def match(self, s: str) -> bool:
        r = self._regex(s)
        return r is not None and r.match(s) is not None


_TAIL = _Bucketed(_fragments(TAIL_MARKERS), lambda fs: _alt(fs) + r"\s*[.!]?" + _TRAIL)
_MARKERS = _fragments(LIST_MARKERS)
_MARKER = _Bucketed(_MARKERS, lambda fs: _alt(fs) + _TRAIL)
_INLINE_STRONG = _Bucketed(_MARKERS, lambda fs: _alt(fs) + _INLINE_SEP_STRONG + r"\S")
_INLINE_WEAK = _Bucketed(_MARKERS, lambda fs: _alt(fs) + _INLINE_SEP_WEAK + r"\S")
_SHARE = _fragments(SHARE_WORDS)
# A bucket of exact lines also holds the share words starting with that character; a row of
# share buttons may continue with any share word.
_EXACT = _Bucketed(
    _fragments(FURNITURE_EXACT) + [f"{w}(?:{_SHARE_SEP}{_alt(_SHARE)})*" for w in _SHARE],
    lambda fs: _alt(fs) + _TRAIL,
)
_PREFIX = _Bucketed(_fragments(FURNITURE_PREFIX), lambda fs: _alt(fs) + r"(?!\w)")
# Substring tests are fast, but not forty of them on every line: index the multi-word phrases
# by their first word and only test those whose first word occurs in the line as a word.
# One-word phrases ("akismet") are few and are always tested, so "©Akismet" is caught too.
_ONE_WORD_PHRASES: list[str] = []
_PHRASES_BY_WORD: dict[str, list[str]] = {}
for _p in _plain(FURNITURE_PHRASES):
    if " " in _p:
        _PHRASES_BY_WORD.setdefault(_p.split()[0], []).append(_p)
    else:
        _ONE_WORD_PHRASES.append(_p)
_LINE_ENDS = tuple(_plain(FURNITURE_LINE_END))
_LINK_SUFFIXES = tuple(" " + p for p in _plain(FURNITURE_LINK_SUFFIX))
_LINE_END_WINDOW = 60  # characters at the end of a line that _ends_with_call looks at
_TRAILING_PUNCT = " \t.!?:;,…)]}»\"”'’*"
_SENTENCE_START_RE = re.compile(
    r"[.!?:]\s+" + _alt(_fragments(FURNITURE_SENTENCE_START)), _FLAGS
)

# A sentence ends in . ! ? … : ; or , (a paragraph that stops mid-sentence is still body),
# optionally followed by closing quotes/brackets. A closing quote straight after a letter
# ends a quoted title, as in the headline 'Claim over the story "Nothing Personal"'.
_BODY_END_RE = re.compile(r"[.!?…:;,][\"”“’'»«)\]\s]*$")
_QUESTION_END_RE = re.compile(r"[?!][\"”“’'»«)\]\s]*$")

# ---------------------------------------------------------------------------------------------
# Line classifiers
# ---------------------------------------------------------------------------------------------


def _label(line: str) -> str:
    """`line` without the bullets, arrows and spaces that may decorate a label."""
    s = line
    while True:
        t = s.lstrip().lstrip(_LEAD_CHARS)
        if t == s:
            return s
        s = t


def _is_tail_marker(line: str) -> bool:
    return len(line) <= MAX_FURNITURE_LEN and _TAIL.fullmatch(_label(line))


def _is_list_marker(line: str) -> bool:
    """A standalone heading of a list of headlines ("Read also", "Related:")."""
    return len(line) <= MAX_FURNITURE_LEN and _MARKER.fullmatch(_label(line))


def _is_inline_marker(line: str) -> bool:
    """A heading with its headline on the same line ("Read also: Ministers meet in Riga")."""
    if len(line) >= MAX_HEADLINE_LEN:
        return False
    s = _label(line)
    return _INLINE_STRONG.match(s) or (_INLINE_WEAK.match(s) and _is_headline(line))


_WRAPPED = re.compile(r"^[\[(](.*)[\])][.]?$")


def _unwrap(line: str) -> str:
    """`[Sign up for …]`, `(Click here …)` and `Advertisement Advertisement` are the same
    furniture as their plain forms."""
    if m := _WRAPPED.match(line):
        line = m.group(1).strip()
    half = len(line) // 2
    if len(line) % 2 == 1 and line[:half] == line[half + 1:] and line[half] == " ":
        line = line[:half]
    return line


def _is_single_furniture(line: str) -> bool:
    if len(line) >= MAX_FURNITURE_LEN:
        return False
    line = _unwrap(line)
    s = _label(line)
    if _EXACT.fullmatch(s) or _PREFIX.match(s):
        return True
    low = line.lower()
    return (
        _has_phrase(low)
        or _ends_with_call(low)
        or low.endswith(_LINK_SUFFIXES)
        or _SENTENCE_START_RE.search(line) is not None
    )


def _has_phrase(low: str) -> bool:
    if any(p in low for p in _ONE_WORD_PHRASES):
        return True
    words = low.split()
    if _PHRASES_BY_WORD.keys().isdisjoint(words):
        return False
    norm = " ".join(words)  # scraped text is full of double and non-breaking spaces
    return any(p in norm for w in words if w in _PHRASES_BY_WORD for p in _PHRASES_BY_WORD[w])


def _ends_with_call(low: str) -> bool:
    # Only the end matters; normalising its whitespace lets "click\xa0here" match too.
    s = " ".join(low[-_LINE_END_WINDOW:].split()).rstrip(_TRAILING_PUNCT)
    if not s.endswith(_LINE_ENDS):
        return False
    for p in _LINE_ENDS:
        if s.endswith(p):
            before = s[: len(s) - len(p)]
            if not before or not (before[-1].isalnum() or before[-1] == "_"):
                return True
    return False


def _is_headline(line: str) -> bool:
    """Headlines are short and carry no sentence punctuation at the end."""
    return len(line) < MAX_HEADLINE_LEN and _BODY_END_RE.search(line) is None


def _is_question_headline(line: str) -> bool:
    """A short line ending in ? or ! could be a headline ("Is Riga ready?") or a short body
    paragraph; the caller decides by looking at what follows."""
    return len(line) < MAX_QUESTION_HEADLINE_LEN and _QUESTION_END_RE.search(line) is not None


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def strip_furniture(paragraphs: list[str]) -> list[str]:
    """Return `paragraphs` without site furniture, in the same order, other lines untouched.

    `paragraphs` is the article body split into stripped, non-empty lines (title, date and
    source already removed). The result is always a subsequence of the input. Never raises:
    on unexpected input the lines are returned unchanged (keeping text beats losing it).
    """
    try:
        return _strip(paragraphs)
    except Exception:  # pragma: no cover - defensive; _strip is not expected to raise
        try:
            return list(paragraphs)
        except Exception:
            return []


def _strip(paragraphs: list[str]) -> list[str]:
    lines = [p for p in paragraphs if isinstance(p, str)]
    if len(lines) != len(paragraphs):  # not text: cannot judge it, so keep the input as it is
        return list(paragraphs)

    # Rule 1: everything from the first comment-form starter on is the comment section.
    for i, line in enumerate(lines):
        if _is_tail_marker(line):
            lines = lines[:i]
            break

    kept: list[str] = []
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        if _is_list_marker(line):
            # Rule 2: skip the heading and the headlines listed under it.
            i = _skip_list_block(lines, i + 1)
            continue
        if _is_single_furniture(line) or _is_inline_marker(line):
            # Rule 3 (and rule 2's one-line form).
            i += 1
            continue
        kept.append(line)
        i += 1
    return kept


def _skip_list_block(lines: list[str], i: int) -> int:
    """Index of the first line after the headline list that starts at `i`."""
    n = len(lines)
    while i < n:
        line = lines[i]
        if _is_headline(line) or _is_single_furniture(line) or _is_list_marker(line):
            i += 1
            continue
        if _is_question_headline(line):
            # "Is Riga ready?" inside a list is a headline if the list goes on after it (or the
            # article ends); followed by a body paragraph it is more likely a short paragraph.
            j = i + 1
            while j < n and _is_single_furniture(lines[j]):
                j += 1
            if j == n or _is_headline(lines[j]) or _is_question_headline(lines[j]) \
                    or _is_list_marker(lines[j]):
                i += 1
                continue
        break
    return i
