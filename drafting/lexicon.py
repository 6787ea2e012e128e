"""The drafter's word lists: abbreviations, reporting verbs, titles, kinds of source,
countries. Plain data, kept in one place so that a teacher's report of a missed verb or
title is a one-word change here."""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def ordered(text: str) -> list[str]:
    return text.split()


def pairs(text: str) -> dict[str, str]:
    """ "a:b c_d:e" -> {"a": "b", "c d": "e"} (an underscore stands for a space)."""
    out = {}
    for item in text.split():
        key, value = item.split(":")
        out[key.replace("_", " ")] = value.replace("_", " ")
    return out


# -- sentences -------------------------------------------------------------------------
ABBREVIATIONS = words("""
    mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm maj st jr sr rev hon pres
    supt insp det jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu
    thur thurs fri sat sun no nos vs etc approx est dept univ assn bros inc corp ltd co plc
    fig vol ed eds cf ca mt ft pt ave blvd rd""")
# Abbreviations that also end sentences: a boundary when the next word usually opens one.
END_ABBREVIATIONS = words("etc inc corp ltd co plc jr sr")
SENTENCE_OPENERS = words("""
    the a an he she it they we i you this that these those there his her its their our but
    and so yet however meanwhile in on at after before when while although though if as
    for of by with from since during many some most several no one two three officials
    police""")

# -- reporting verbs ---------------------------------------------------------------------
# Each form as an article writes it, lower case ("States" in "United States" is no verb).
REPORTING = ordered("""
    say says said saying tell tells told telling confirm confirms confirmed confirming
    acknowledge acknowledges acknowledged acknowledging deny denies denied denying accuse
    accuses accused accusing warn warns warned warning argue argues argued arguing claim
    claims claimed claiming insist insists insisted insisting assert asserts asserted
    asserting stated stating announce announces announced announcing declare declares
    declared declaring emphasise emphasises emphasised emphasising emphasize emphasizes
    emphasized emphasizing stress stresses stressed stressing noted noting added adding
    reported explain explains explained explaining suggest suggests suggested urge urges
    urged urging condemn condemns condemned condemning denounce denounces denounced
    denouncing criticise criticises criticised criticising criticize criticizes criticized
    criticizing praise praises praised praising highlight highlights highlighted
    highlighting underscore underscores underscored underscoring appeal appeals appealed
    appealing replied responded wrote predict predicts predicted estimate estimated admit
    admits admitted admitting concede concedes conceded alleged alleges promise promised
    vow vows vowed pledge pledged threatened demand demands demanded maintain maintains
    maintained contend contends contended caution cautioned revealed disclosed believe
    believes believed hailed describe describes described describing characterise
    characterises characterised characterising characterize characterizes characterized
    characterizing portray portrays portrayed portraying frame frames framed framing call
    called calling brand branded branding label labelled labeled dub dubbed depict
    depicted depicting reject rejects rejected rejecting dismissed""")
# Verbs that report an act, not speech: their subject is an actor, never a speaker. None
# of them is in REPORTING; the tests hold the two lists apart.
ACT_VERBS = words("""
    appointed killed captured launched seized arrested attacked struck elected fired
    deployed invaded bombed signed won lost built opened closed""")

# -- sources -----------------------------------------------------------------------------
# Demonyms, capitals and names that stand for a country's government ("Havana said").
COUNTRY_WORDS = pairs("""
    american:us u.s.:us us:us usa:us america:us united_states:us washington:us
    white_house:us british:uk britain:uk u.k.:uk uk:uk london:uk french:france paris:france
    german:germany berlin:germany chinese:china beijing:china russian:russia moscow:russia
    kremlin:russia havana:cuba caracas:venezuela mexican:mexico brazilian:brazil
    brasilia:brazil iranian:iran tehran:iran israeli:israel jerusalem:israel
    ukrainian:ukraine kyiv:ukraine japanese:japan tokyo:japan canadian:canada
    ottawa:canada spanish:spain madrid:spain italian:italy rome:italy turkish:turkey
    ankara:turkey canberra:australia australian:australia bogota:colombia
    colombian:colombia argentine:argentina lima:peru peruvian:peru santiago:chile
    chilean:chile pakistani:pakistan egyptian:egypt cairo:egypt saudi:saudi_arabia
    riyadh:saudi_arabia""")
COUNTRIES = frozenset(COUNTRY_WORDS.values()) | words("""
    cuba venezuela kenya nigeria india ghana korea syria iraq libya cambodia bolivia
    nicaragua guatemala panama ecuador uruguay paraguay haiti jamaica somalia ethiopia
    tanzania uganda mali chad sudan norway sweden finland denmark poland greece portugal
    ireland austria hungary serbia croatia romania bulgaria belgium netherlands switzerland
    lebanon jordan qatar yemen oman afghanistan bangladesh indonesia malaysia philippines
    vietnam thailand singapore europe africa asia gaza palestine taiwan""")
CAPITALS = words("""
    washington havana caracas london paris berlin beijing moscow kremlin tehran kyiv tokyo
    ottawa madrid rome ankara canberra bogota lima santiago riyadh cairo brasilia""")
TITLE_WORDS = words("""
    president vice prime minister secretary senator sen. governor gov. mayor judge justice
    general gen. dr. mr. mrs. ms. prof. professor chief spokesman spokeswoman spokesperson
    ambassador king queen pope ceo director chairman chairwoman chair commissioner
    inspector officer sheriff captain capt. colonel col. lieutenant lt. rep. representative
    deputy chancellor premier councillor councilman councilwoman coach doctor sergeant
    sgt. admiral commander leader speaker attorney superintendent principal head""")
PERSON_ROLES = TITLE_WORDS | words("official source witness resident analyst expert")
INSTITUTION_WORDS = words("""
    government ministry court presidency office department agency council police army
    military administration commission committee parliament congress senate company firm
    bank university hospital school union party embassy authority authorities board
    service services force forces regime cabinet coalition alliance federation institute
    organisation organization foundation club league association opposition city town
    county province region municipality district council""")
DOCUMENT_WORDS = words("records figures data documents estimates statistics survey poll report")
MEDIA_WORDS = words("""
    media newspaper newspapers agency television tv radio channel channels outlet outlets
    broadcaster press reuters ap afp bbc""")
GROUP_HEADS = words("""
    officials analysts critics experts residents witnesses sources people protesters
    lawmakers diplomats observers supporters loyalists families relatives nations
    governments allies groups organisations organizations activists doctors teachers
    parents students workers leaders leadership members neighbours neighbors investigators
    economists scientists researchers campaigners voters survivors victims companies firms
    businesses unions farmers owners monitors traders drivers commuters parties""")
UNNAMED_DETERMINERS = words("a an one some several many two three few other unnamed")
DETERMINERS = UNNAMED_DETERMINERS | words("the its their his her this that")
# What a named company is called later: "The plant's owner, Vireo Fabrics" … "the company".
ORG_ROLES = words("""
    company firm owner operator maker manufacturer group organisation organization charity
    developer employer retailer supplier contractor business producer airline carrier""")


def country_of(word: str, previous: str = "") -> str | None:
    """The country a word names or qualifies: "Cuban", "Cuba's", "Havana" -> "cuba"."""
    w = re.sub(r"[’']s$", "", word.lower())
    if previous.lower() in ("latin", "south", "north", "central"):
        return None  # "Latin American" is not "American"
    if w in COUNTRY_WORDS:
        return COUNTRY_WORDS[w]
    if w in COUNTRIES:
        return w
    if w.endswith("n") and w[:-1] in COUNTRIES:
        return w[:-1]  # Cuban -> cuba, Venezuelan -> venezuela, Nigerian -> nigeria
    return None


def in_sentence(name: str) -> str:
    """A source's name inside a sentence: "Officials" -> "officials", "The Cuban
    presidency" -> "the Cuban presidency"; a person's name is left as it is."""
    first = name.split(" ", 1)[0]
    common = GROUP_HEADS | INSTITUTION_WORDS | MEDIA_WORDS | DETERMINERS | {"state"}
    if first.lower() in common and not first.isupper():
        return first.lower() + name[len(first) :]
    return name
