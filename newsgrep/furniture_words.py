"""The words of site furniture, by rule and language: the data furniture.py compiles.

Keyed by language, so that adding a language or a site's wording is a one-line change. Most
lists are tuples of lower-case regex fragments (matching ignores case; a plain space matches
any run of whitespace, " ?" optional whitespace, so do not put a literal space inside a
character class); `FURNITURE_PHRASES`, `FURNITURE_LINE_END` and `FURNITURE_LINK_SUFFIX` are
plain text. The rules they feed are described in furniture.py.
"""

from __future__ import annotations

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
