"""Every model parameter, its default, its range and its unit, validated by pydantic.

One place defines what a user may set: the CLI's ``--set KEY=VALUE``, the Python
``overrides`` dict and scenario files all resolve through :func:`hlssim.params.resolve`.
Each group is one mechanism, so every mechanism can be switched off from here.
Defaults and their grounds are documented in ``docs/ODD.md``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

DOMAINS = ("housing", "health", "income_work", "relationships", "safety", "purpose")
SUPPORT_OPTIONS = (
    "housing_support",
    "health_referral",
    "employment_support",
    "peer_and_family",
    "safety_planning",
    "purposeful_activity",
    "debt_and_benefits",
    "listening_and_advocacy",
)
# The shape of every citizen's arrays. Kernels read these as compile-time constants, so their loops
# over domains and options are unrolled (a quarter faster than looping to a size read at run time).
N_DOMAINS = len(DOMAINS)
N_OPTIONS = len(SUPPORT_OPTIONS)
PRACTICES = (
    "public_facing",
    "leadership",
    "resource_allocation",
    "learning",
    "operational_management",
    "governance",
)


ASSUMED = "assumption"
UNIT_COST_RANGE = "assumption: half to one and a half times the order-of-magnitude unit cost"

# A plausible range, (low, high) or (low, high, source): the values the world could take, as far as anyone
# knows, inside the hard bounds (what the model accepts). Without a source it is an assumption. These ranges
# are the calibration's priors and the default ranges of sweeps and sensitivity analysis (docs/parameters.md).
# Structural parameters (switches, choices, the practices that make a regime, the population's size) have none.
Plausible = tuple[float, float] | tuple[float, float, str] | None


def domain_list(value: Any, allow_empty: bool) -> Any:
    """A list of life domains, given as a list or a comma-separated string; each must be a known domain."""
    if isinstance(value, str):
        value = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in value if v not in DOMAINS]
    if unknown:
        raise ValueError(f"unknown domain(s) {unknown}; allowed: {', '.join(DOMAINS)}")
    if not value and not allow_empty:
        raise ValueError("needs at least one domain")
    return tuple(value)


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def _field(default: Any, doc: str, unit: str, source: str, plausible: Plausible = None, **bounds: Any) -> Any:
    extra: dict[str, Any] = {"unit": unit, "source": source}
    if plausible is not None:
        low, high, *why = plausible
        extra["plausible"] = (low, high)
        extra["plausible_source"] = why[0] if why else ASSUMED
    return Field(default, description=doc, json_schema_extra=extra, **bounds)


def dial(default: float, doc: str, unit: str = "0-1", source: str = ASSUMED, plausible: Plausible = None) -> Any:
    """A share, probability, weight or dial in [0, 1]."""
    return _field(default, doc, unit, source, plausible, ge=0.0, le=1.0)


def amount(default: float, doc: str, unit: str, source: str = ASSUMED, le: float | None = None,
           strictly_positive: bool = False, plausible: Plausible = None) -> Any:
    """A non-negative quantity in a named unit (£, hours, wellbeing points ...)."""
    return _field(default, doc, unit, source, plausible, **({"gt": 0.0} if strictly_positive else {"ge": 0.0}),
                  le=le)


def whole(default: int, doc: str, unit: str, ge: int, le: int, source: str = ASSUMED,
          plausible: Plausible = None) -> Any:
    return _field(default, doc, unit, source, plausible, ge=ge, le=le)


def flag(default: bool, doc: str, source: str = ASSUMED) -> Any:
    return _field(default, doc, "true/false", source)


FOLLOWUP_COST_SOURCE = ("derived, an assumption: 30-45 minutes of a survey fieldworker's or social worker's time "
                        "(£36-£55 an hour: Bray et al. 2015; PSSRU via the New Economy unit cost database) with "
                        "attempts; a home visit costs about £90-£140 and a hard-to-reach person £140-£235")
WB = "wellbeing points"   # a domain's wellbeing runs from 0 to 1
PER_WEEK = "per week"


class World(_Group):
    """How complex lives are (seed, "Human flourishing"; "Complex Systems") and how they change."""

    uniqueness: float = dial(0.8, "0 = everyone values the same domains and responds to support alike",
                             source="seed: Human flourishing, 'unique to each person'",
                             plausible=(0.4, 1.0, "seed: Human flourishing ('unique to each person'); a "
                                                  "complex-needs service, not a closed system"))
    interdependence: float = dial(0.6, "0 = change in one life domain never spills into another",
                                  source="seed: Human flourishing, 'interdependent factors'",
                                  plausible=(0.3, 0.9, "seed: Human flourishing ('interdependent factors'); size an"
                                                       " assumption"))
    dynamism: float = dial(0.5, "0 = what matters, what works and life circumstances never change",
                           source="seed: Human flourishing, 'dynamic'",
                           plausible=(0.2, 0.8, "seed: Human flourishing ('dynamic'); size an assumption"))
    life_event_rate: float = dial(0.04, "weekly chance of a life event at dynamism 1", PER_WEEK,
                                  plausible=(0.02, 0.08))
    life_event_severity: float = dial(0.25, "wellbeing lost in the hit domain by a life event", WB,
                                      plausible=(0.1, 0.4))
    event_salience: float = dial(0.5, "how much a life event raises the weight its domain carries in what matters, "
                                 "per point of severity, at uniqueness 1", "weight per wellbeing point",
                                 plausible=(0.2, 0.8))
    event_persistence: float = dial(0.5, "share of a life event's shock that lastingly lowers circumstances", "share",
                                    plausible=(0.25, 0.75))
    weight_drift: float = dial(0.02, "weekly s.d. of drift in what matters, at dynamism 1", "weight per week",
                               plausible=(0.01, 0.04))
    effect_drift: float = dial(0.03, "weekly s.d. of drift in what works for a citizen, at dynamism 1",
                               "share of the personal spread per week", plausible=(0.015, 0.06))
    evidence_drift: float = dial(0.004, "weekly s.d. of drift in population-average effects, at dynamism 1",
                                 "effect points per week", plausible=(0.002, 0.008))
    evidence_reversion: float = dial(0.02, "weekly pull of what works on average back toward the evidence base: "
                                     "what works changes, but the average effect of support does not inflate "
                                     "or wither (0 = a random walk)", PER_WEEK, plausible=(0.01, 0.04))
    recovery_rate: float = dial(0.01, "weekly pull of wellbeing back to a citizen's circumstances", PER_WEEK,
                                plausible=(0.005, 0.02))
    capability_gain: float = dial(0.35, "share of a support gain that lastingly moves circumstances", "share",
                                  plausible=(0.2, 0.5))
    structural_pull: float = dial(0.01, "weekly pull of circumstances back toward a citizen's structural position "
                                  "(0 = gains and setbacks last for ever)", PER_WEEK, plausible=(0.005, 0.02))
    personal_effect_sd: float = dial(0.016, "s.d. of a citizen's own deviation from an option's average effect, "
                                     "at uniqueness 1", "effect points", plausible=(0.008, 0.03))
    spill_mean: float = amount(0.6, "total spill into a domain from a unit change in all the others", "share", le=5.0,
                               plausible=(0.3, 1.0))


class Evidence(_Group):
    """The evidence base: what each support option does on average (stylised, not from trials)."""

    primary_effect: float = dial(0.02, "weekly gain on an option's own domain at full dose and full headroom",
                                 "effect points per week", plausible=(0.01, 0.03))
    secondary_effect: float = dial(0.007, "weekly gain on an option's related domain (and on every domain for "
                                   "listening and advocacy)", "effect points per week", plausible=(0.0035, 0.012))


class Population(_Group):
    citizens: int = whole(2000, "citizens in the place", "people", 10, 5_000_000)
    smd_share: float = dial(0.2, "share starting with severe multiple disadvantage (3+ low domains)", "share",
                            "Changing Futures; Hard Edges (within reach of a complex-needs service)",
                            plausible=(0.1, 0.35, "Changing Futures; Hard Edges (how many of a complex-needs "
                                                  "service's population have SMD varies by place)"))
    complex_share: float = dial(0.35, "share starting with one or two low domains", "share", plausible=(0.2, 0.5))
    agency_mean: float = dial(0.5, "mean capacity to act on one's own goals", plausible=(0.35, 0.65))
    smd_agency_penalty: float = dial(0.15, "agency lost by citizens who start with SMD", plausible=(0.05, 0.25))
    start_floor: float = dial(0.05, "lowest starting wellbeing of a low domain; low domains start in "
                              "[floor, threshold - floor], others in [threshold + 2 floor, ceiling]", WB,
                              plausible=(0.02, 0.1))
    start_ceiling: float = dial(0.9, "highest starting wellbeing of a domain", WB, plausible=(0.8, 0.95))
    equilibrium_start: bool = flag(True, "circumstances and structural positions start where, with no service, each "
                                   "domain's expected wellbeing stays where it starts (the run begins in the "
                                   "world's own steady state, not above it); false: they start at the drawn "
                                   "wellbeing and a no-service world drifts down as shocks accumulate")
    setback_share: float = dial(0.5, "share of a low domain's shortfall below the low threshold that is a passing "
                                "setback: the citizen's structural position lies that much higher, and "
                                "circumstances recover toward it (0 = every low domain is where the person's "
                                "circumstances hold them)", "share",
                                "Whiteford et al. 2013 (untreated remission 23% by 3 months, 53% by 12); Posternak & "
                                "Miller 2001",
                                plausible=(0.3, 0.7, "Whiteford et al. 2013 (untreated remission 23% by 3 months, "
                                                     "53% by 12; lower in wait-list samples)"))
    help_seeking: float = dial(0.06, "weekly chance an unsupported citizen in need asks for help", PER_WEEK,
                               plausible=(0.03, 0.12))
    crisis_referral: float = dial(0.5, "chance a crisis leads services to refer the citizen for help "
                                  "(0 = crises never refer)", "probability", plausible=(0.25, 0.75))
    turnover: float = dial(0.002, "weekly chance a resident moves away and a new one, drawn like the first, arrives "
                           "(0 = closed population)", PER_WEEK, plausible=(0.001, 0.004))


class Service(_Group):
    """Whether there is a service at all: off is the counterfactual every evaluation nets out."""

    enabled: bool = flag(True, "false: no one is helped and no staff are paid; lives run on their own (the "
                         "no-service counterfactual)")


class Crisis(_Group):
    enabled: bool = flag(True, "false switches crisis events and their costs off")
    low_threshold: float = dial(0.35, "wellbeing below this is a low domain (SMD = 3+ low domains)", WB,
                                plausible=(0.3, 0.4))
    base_rate: float = dial(0.265, "weekly crisis hazard of a domain at wellbeing 0", PER_WEEK,
                            "calibrated: SMD crisis cost at entry ~GBP 28,000 a year (Fulfilling Lives, Moreton "
                            "et al. 2021)",
                            plausible=(0.1, 0.5, "assumption: wide around the value that gives Fulfilling Lives' "
                                                 "GBP 28,000 (the calibration prior)"))
    cost_housing: float = amount(2200.0, "£ per housing crisis (emergency accommodation episode)", "£",
                                 "assumption: order-of-magnitude UK unit cost",
                                 plausible=(1100.0, 3300.0, UNIT_COST_RANGE))
    cost_health: float = amount(1800.0, "£ per health crisis (A&E, ambulance, admission share)", "£",
                                "assumption: order-of-magnitude UK unit cost",
                                plausible=(900.0, 2700.0, UNIT_COST_RANGE))
    cost_income_work: float = amount(450.0, "£ per income crisis (crisis payments, arrears action)", "£",
                                     "assumption: order-of-magnitude UK unit cost",
                                     plausible=(225.0, 675.0, UNIT_COST_RANGE))
    cost_relationships: float = amount(900.0, "£ per relationship crisis (social care, family crisis)", "£",
                                       "assumption: order-of-magnitude UK unit cost",
                                       plausible=(450.0, 1350.0, UNIT_COST_RANGE))
    cost_safety: float = amount(1600.0, "£ per safety crisis (police call-out, custody, court)", "£",
                                "assumption: order-of-magnitude UK unit cost",
                                plausible=(800.0, 2400.0, UNIT_COST_RANGE))
    cost_purpose: float = amount(1300.0, "£ per mental health crisis (crisis team, section 136)", "£",
                                 "assumption: order-of-magnitude UK unit cost",
                                 plausible=(650.0, 1950.0, UNIT_COST_RANGE))
    harm: float = dial(0.01, "wellbeing lost in the domain when a crisis happens (at the calibrated crisis rates a "
                       "much larger harm drives low domains to 0 without any service, which no cohort shows)", WB,
                       plausible=(0.005, 0.02))


class Workforce(_Group):
    workers_per_1000: float = amount(15.0, "front-line workers per 1,000 citizens", "workers per 1,000 citizens",
                                     le=1000, strictly_positive=True, plausible=(10.0, 20.0))
    team_size: int = whole(10, "workers per team (one manager each)", "workers", 1, 100,
                           "Buurtzorg: self-managing teams of 10-12 (KPMG 2012)",
                           plausible=(8, 14, "Buurtzorg: teams of 10-12 (KPMG 2012)"))
    hours_per_week: float = amount(37.5, "contracted hours a worker a week", "hours per week", le=80,
                                   strictly_positive=True, plausible=(35.0, 40.0))
    salary_per_year: float = amount(38000.0, "£ loaded cost of a worker a year", "£ per year",
                                    plausible=(30000.0, 46000.0))
    manager_salary_per_year: float = amount(52000.0, "£ loaded cost of a manager a year", "£ per year",
                                            plausible=(42000.0, 62000.0))
    motivation_mean: float = dial(0.7, "mean intrinsic motivation of a new worker", plausible=(0.55, 0.85))
    motivation_sd: float = dial(0.15, "s.d. of new workers' intrinsic motivation", plausible=(0.08, 0.25))
    motivation_effect: float = dial(0.4, "how much support's effect depends on the worker's motivation "
                                    "(effect x (1 - k + k x motivation))", "share", plausible=(0.2, 0.6))
    crowding_out: float = dial(0.3, "how far control erodes intrinsic motivation (0 = never)", "share",
                               "Falk & Kosfeld 2006 (smaller in replications: explore 0-1)",
                               plausible=(0.0, 0.6, "Falk & Kosfeld 2006; smaller in replications"))
    motivation_rate: float = dial(0.02, "weekly adjustment of motivation toward where control lets it settle", PER_WEEK,
                                  plausible=(0.01, 0.04))
    control_from_pressure: float = dial(0.5, "weight of target pressure (against leadership and management "
                                        "practice) in the control a worker feels", "share", plausible=(0.25, 0.75))
    stress_recovery: float = dial(0.05, "weekly speed at which stress moves toward its resting level plus "
                                  "current workload", PER_WEEK, plausible=(0.025, 0.1))
    resting_stress: float = dial(0.1, "stress with no workload at all", plausible=(0.05, 0.2))
    initial_stress: float = dial(0.3, "stress of a worker when hired", plausible=(0.2, 0.4))
    stress_sensitivity_sd: float = amount(0.3, "s.d. of the log of how strongly workload turns into stress",
                                          "log units", le=3, plausible=(0.15, 0.6))
    manageable_caseload: float = amount(20.0, "caseload whose stress load equals stress_caseload", "cases",
                                        le=500, strictly_positive=True, plausible=(15.0, 30.0))
    stress_caseload: float = dial(0.25, "stress load of a manageable caseload", plausible=(0.15, 0.45))
    stress_sanction: float = dial(0.2, "stress load of working in a team sanctioned for missing its target",
                                  source="Skills for Care 2023: turnover 49% without job-quality factors, 21% with",
                                  plausible=(0.1, 0.35))
    stress_target: float = dial(0.2, "stress load of putting full weight on the proxy (doing what one believes "
                                "does not help)", plausible=(0.1, 0.35))
    stress_detection: float = dial(0.1, "stress added when caught misreporting", plausible=(0.05, 0.2))
    vicarious_trauma: float = amount(0.6, "stress load of a full week of what-matters work with people in severe "
                                     "distress (0 = relational work carries no emotional cost)", "stress per week "
                                     "of deep contact", le=5, source="Waegemakers Schiff & Lane 2019 (PTSD "
                                     "symptoms 33% of homelessness workers); O'Connor et al. 2018 (exhaustion 40%)",
                                     plausible=(0.3, 1.2))
    burnout_threshold: float = dial(0.7, "stress above which a worker counts as burnt out",
                                    source="O'Connor et al. 2018: high emotional exhaustion in about 40%",
                                    plausible=(0.5, 0.85, "assumption: where Maslach's high-exhaustion band lies on"
                                                          " the model's stress scale is not known"))
    burnout_effectiveness_loss: float = dial(0.2, "share of a burnt-out worker's support effect lost", "share",
                                             "Salyers et al. 2017 (burnout-quality r = -0.26); Delgadillo et al. 2018",
                                             plausible=(0.1, 0.35, "Salyers et al. 2017 (r = -0.26, probably "
                                                                   "inflated: Tawfik et al. 2019)"))
    turnover_base: float = dial(0.27, "yearly chance a worker leaves, before stress", "per year",
                                "calibrated: business-as-usual turnover of 28-30% a year (Skills for Care 2023); "
                                "Eby et al. 2010 (33%)",
                                plausible=(0.15, 0.4, "Skills for Care 2023 (20.6% with every job-quality factor, "
                                                      "48.7% with none); Eby et al. 2010 (33%)"))
    turnover_burnout: float = dial(0.6, "extra yearly chance of leaving when burnt out", "per year",
                                   plausible=(0.2, 1.0))
    skill_sd: float = dial(0.37, "s.d. of workers' skill: a worker's support effect is x (1 + skill), skill ~ "
                           "N(0, sd) (0 = every worker alike)", "share of effect",
                           "practitioner effects: about 5% of outcome variance (Wampold & Brown 2005; Johns et al. "
                           "2019); calibrated to that ICC under discretion",
                           plausible=(0.15, 0.6, "Johns et al. 2019 (practitioner share 0.2-29%, mostly 2-10%)"))
    pathway_spread: float = dial(0.65, "share of the skill spread that still shows in outcomes under standard "
                                 "pathways (1 = pathways narrow nothing)", "share",
                                 "Anderson, Kling & Stith 1999 (binding guidelines cut between-judge gaps by about "
                                 "a third)",
                                 plausible=(0.5, 0.9, "Anderson, Kling & Stith 1999 (a third); manuals narrow "
                                                      "10-30% (weak)"))
    reassignment: bool = flag(True, "false leaves a departing worker's citizens unserved")


class Practices(_Group):
    """Figure 1's six practices: 0 (or 'npm') is NPM, 1 (or 'hls') is HLS, between is a mix."""

    public_facing: float = dial(0.0, "standard pathways (0) to bespoke, what-matters support (1)",
                                source="seed: Figure 1, public-facing practice")
    leadership: float = dial(0.0, "hierarchical command (0) to distributed leadership (1)",
                             source="seed: Figure 1, leadership")
    resource_allocation: float = dial(0.0, "menu and payment per outcome (0) to devolved budgets (1)",
                                      source="seed: Figure 1, resource allocation")
    learning: float = dial(0.0, "central evaluation of reports (0) to team learning cycles (1)",
                           source="seed: Figure 1, learning and evaluation")
    operational_management: float = dial(0.0, "control, high caseloads (0) to healthy systems (1)",
                                         source="seed: Figure 1, operational management")
    governance: float = dial(0.0, "targets and compliance (0) to governing for learning (1)",
                             source="seed: Figure 1, governance and accountability")

    @field_validator(*PRACTICES, mode="before")
    @classmethod
    def _named(cls, value: Any) -> Any:
        if isinstance(value, str):
            named = {"npm": 0.0, "hls": 1.0}
            if value.lower() in named:
                return named[value.lower()]
            try:
                return float(value)
            except ValueError:
                raise ValueError("must be 'npm', 'hls' or a number in [0, 1]") from None
        return value


class Pathways(_Group):
    length_weeks: int = whole(16, "weeks a standard pathway runs before closure", "weeks", 1, 520, plausible=(12, 26))
    eligibility_threshold: float = dial(0.3, "presenting need must be below this wellbeing to be served "
                                        "(0 = none turned away)", WB,
                                        "seed: 'a filtering mechanism which turns people away'",
                                        plausible=(0.2, 0.35))
    assessment_noise: float = dial(0.1, "s.d. of error when assessment reads a domain's wellbeing", WB,
                                   plausible=(0.05, 0.15))
    ready_flourishing: float = dial(0.6, "own flourishing at which a citizen with no low domain decides to leave the "
                                    "service (1 = never leaves of their own accord)", "flourishing",
                                    plausible=(0.5, 0.7))
    review_weeks: int = whole(26, "weeks between reviews of an open case, at which a case that has stalled closes "
                              "(0 = never reviewed)", "weeks", 0, 520, plausible=(13, 52))
    review_min_gain: float = dial(0.02, "gain in the citizen's own flourishing since the case opened below which a "
                                  "review finds the case stalled", "flourishing", plausible=(0.01, 0.04))
    script_gain: float = dial(0.3, "extra effect per hour of a standard pathway delivered as scripted by a team "
                              "that has delivered it often, on the option's average effect (0 = none)", "share",
                              "Rotter et al. 2010 (care pathways: complications OR 0.58); Haynes et al. 2009",
                              plausible=(0.1, 0.5, "Rotter et al. 2010 (OR 0.58); Urbach et al. 2014 (none when "
                                                   "only mandated)"))
    script_learning_case_weeks: float = amount(500.0, "case-weeks of delivering a pathway a team needs to get "
                                               "two-thirds of the scripted gain", "case-weeks",
                                               strictly_positive=True, plausible=(250.0, 1000.0))


class Caseload(_Group):
    npm_cap: int = whole(30, "cases per worker under NPM management", "cases", 1, 500, plausible=(20, 40))
    hls_cap: int = whole(12, "cases per worker under HLS management", "cases", 1, 500,
                         "Buurtzorg: 10-12 nurses for 50-60 patients (KPMG 2012)",
                         plausible=(8, 16, "Buurtzorg (KPMG 2012); assumption"))
    recording_npm_hours: float = amount(0.5, "hours a case a week of recording and reporting under NPM governance",
                                        "hours per case-week", le=20,
                                        source="CCN/ACCE 2022: about half of social workers' time on recording",
                                        plausible=(0.25, 1.0, "CCN/ACCE 2022 (about half of social workers' time on"
                                                              " recording and admin)"))
    recording_hls_hours: float = amount(0.25, "hours a case a week of recording under HLS governance",
                                        "hours per case-week", le=20, plausible=(0.1, 0.5))
    fixed_admin_hours: float = amount(2.0, "hours a worker a week of unavoidable administration", "hours per week",
                                      le=40, plausible=(1.0, 4.0))
    dose_half_hours: float = amount(2.0, "relational hours a week giving half the maximum support effect",
                                    "hours per week", le=40, strictly_positive=True, plausible=(1.0, 4.0))
    need_floor: float = dial(0.02, "priority every open case keeps in a worker's time, however it scores",
                             plausible=(0.01, 0.05))
    discovery_share: float = dial(0.3, "share of a bespoke case's hours spent in its first weeks finding out what "
                                  "matters and what works, not yet helping (0 = discovery is free)", "share",
                                  "Grove et al. 2000 (assessment); CCN/ACCE 2022 (time away from families)",
                                  plausible=(0.15, 0.5))
    discovery_weeks: int = whole(6, "weeks at the start of a bespoke case that discovery takes", "weeks", 0, 104,
                                 plausible=(3, 10))


class Queue(_Group):
    """What waiting costs (Whiteford et al. 2013; Reichert & Jacobs 2018; HSCIC 2014)."""

    triage: float = dial(0.5, "weight on urgency (how low the assessed lowest domain is) against time waited "
                         "when choosing who comes off the list (0 = first come, first served)",
                         plausible=(0.25, 0.75))
    deterioration: float = dial(0.003, "wellbeing lost a week in the lowest domain by someone who has waited longer "
                                "than deterioration_after_weeks (0 = waiting costs nothing)", "wellbeing points "
                                "per week", "Reichert & Jacobs 2018; RCPsych 2020 poll: 39% deteriorated",
                                plausible=(0.001, 0.006))
    deterioration_after_weeks: int = whole(12, "weeks of waiting before deterioration starts", "weeks", 0, 520,
                                           "Reichert & Jacobs 2018 (waits over 3 months)",
                                           plausible=(8, 16, "Reichert & Jacobs 2018 (waits over 3 months)"))
    dropout_rate: float = dial(0.02, "weekly chance someone waiting gives up and leaves the list, need unmet",
                               PER_WEEK, "HSCIC 2014: 37% of referrals never seen; IAPT 2017-19 about 30%",
                               plausible=(0.01, 0.04))
    chasing: float = dial(1.0, "chance someone waiting asks again, as a share of the usual help-seeking chance "
                          "(each is a request and failure demand; 0 = nobody chases)", "share",
                          "Seddon 2003 (failure demand); assumption for its size", plausible=(0.5, 1.0))
    trust_loss: float = dial(0.5, "share of starting trust lost by someone who waited a year (proportionally less "
                             "for a shorter wait)", "share per year waited", plausible=(0.25, 0.75))


class Targets(_Group):
    pressure: float = dial(0.7, "how much rides on the proxy (0 = measured, nothing rides on it)",
                           plausible=(0.4, 1.0, "assumption: services run under targets, from light to payment by "
                                                "results"))
    measured_domains: tuple[str, ...] = _field(("income_work", "housing"), "domains the proxy measures",
                                               "domains", "UK Work Programme (job and housing outcomes)")
    outcome_level: float = dial(0.0, "mean wellbeing the measured domains must reach, as well as rising by "
                                "measurement.success_gain, for the proxy to count a success: an outcome attained, "
                                "such as a job or a tenancy (0 = any rise counts: distance travelled)", WB,
                                "Work Programme paid for job outcomes, not distance travelled (NAO 2014; Carter & "
                                "Whitworth 2015); the level is an assumption", plausible=(0.0, 0.6))
    initial_rate: float = dial(0.4, "team's first target success rate", "share",
                               "NAO 2014: Work Programme forecast 39% job outcomes",
                               plausible=(0.3, 0.5, "NAO 2014 (Work Programme forecast 39%, outcome 27%)"))
    ratchet: float = dial(0.5, "share of over-performance added to next period's target (0 = none)", "share",
                          "Bevan & Hood 2006; Weitzman 1980 (the ratchet principle)", plausible=(0.25, 0.75))
    ceiling: float = dial(0.95, "highest target success rate a ratchet can set", "share", plausible=(0.85, 1.0))
    period_weeks: int = whole(13, "weeks in a target period", "weeks", 1, 260, plausible=(4, 26))
    deadline_pressure: float = amount(1.0, "extra weight a worker puts on the proxy in the last week of a period, "
                                      "per unit of the team's current shortfall against target (0 = no deadline "
                                      "effect)", "share", le=10, source="Courty & Marschke 2004 (end-of-period "
                                      "gaming in US job training)", plausible=(0.5, 2.0))
    ratchet_foresight: float = dial(1.0, "how far a team already over target discounts further reported successes "
                                    "because they raise next period's target (0 = no foresight)", "share",
                                    "Weitzman 1980; Bevan & Hood 2006 (ratchet effects)", plausible=(0.5, 1.0))

    @field_validator("measured_domains", mode="before")
    @classmethod
    def _known_domains(cls, value: Any) -> Any:
        return domain_list(value, allow_empty=False)


class Incentives(_Group):
    reward_per_success: float = amount(0.5, "worth to a worker of a paid reported outcome, relative to motivation, "
                                       "when half the budget is at risk", "motivation units", le=10,
                                       plausible=(0.25, 1.0))
    target_weight: float = amount(0.2, "worth to a worker of a reported success toward the team target, relative "
                                  "to motivation", "motivation units", le=10, plausible=(0.1, 0.4))
    sanction_per_detection: float = amount(1.0, "cost to a worker of being caught misreporting, relative to "
                                           "motivation", "motivation units", le=100, plausible=(0.5, 2.0))
    inspection_rate: float = dial(0.1, "chance a record is audited (detection probability)", "probability",
                                  plausible=(0.05, 0.3))
    honesty_mean: float = amount(0.6, "mean moral cost a worker feels in misreporting", "motivation units", le=10,
                                 plausible=(0.4, 0.9))
    detection_honesty_gain: float = amount(0.5, "moral cost of misreporting added by being caught",
                                           "motivation units", le=10, plausible=(0.25, 1.0))
    progress_weight: float = dial(0.5, "weight of progress on the proxy (against the citizen's agency) in a "
                                  "worker's guess of a case's chance of a proxy success", plausible=(0.25, 0.75))
    cream_tier_weight: float = dial(0.2, "how much the front door's view of how easy a case is counts its "
                                    "payment group", source="Rees, Whitworth & Carter 2013 (creaming)",
                                    plausible=(0.1, 0.4))
    renewal_weight: float = amount(0.2, "worth to a worker of a recorded success that counts toward their provider's "
                                   "renewal, relative to motivation, when re-commissioning reads that record in full "
                                   "(a stake only where budget moves on the score: two or more providers and "
                                   "market.competition > 0)", "motivation units", le=10,
                                   source="Campbell 1979; van Thiel & Leeuw 2002 (a record read by a decision is a "
                                   "stake, whoever runs the service); size an assumption, of the order of "
                                   "incentives.target_weight", plausible=(0.05, 0.5))


class Learning(_Group):
    cycle_weeks: int = whole(4, "weeks between team learning sessions", "weeks", 1, 104, plausible=(2, 8))
    session_hours: float = amount(2.0, "hours a worker a week of learning and reflection under HLS",
                                  "hours per week", le=20, plausible=(1.0, 4.0))
    cross_team: float = dial(0.3, "how much each team's knowledge moves toward its organisation's pooled knowledge "
                             "each cycle", source="seed: System scales, Figure 7", plausible=(0.1, 0.5))
    cross_provider: float = dial(0.3, "how much each team's knowledge moves toward the place's pooled knowledge each "
                                 "cycle (connects organisations)", source="seed: System scales, Figure 7",
                                 plausible=(0.1, 0.5))
    double_loop: bool = flag(True, "managers adjust how fast their team explores from how well it predicts",
                             "seed: Learning Cycles (double-loop)")
    exploration: float = dial(0.15, "initial chance a worker tries an option other than its best guess",
                              "probability", "March 1991", plausible=(0.05, 0.3))
    exploration_min: float = dial(0.02, "least chance of exploring the double loop can set", "probability",
                                  plausible=(0.01, 0.05))
    exploration_max: float = dial(0.5, "greatest chance of exploring the double loop can set", "probability",
                                  plausible=(0.3, 0.7))
    explore_up: float = amount(1.25, "factor on exploration when a team's predictions got worse", "factor", le=10,
                               plausible=(1.1, 1.5))
    explore_down: float = amount(0.9, "factor on exploration when a team's predictions improved", "factor", le=10,
                                 plausible=(0.8, 0.95))
    prior_weight_cases: float = amount(5.0, "observations that count as much as a team's prior belief about an "
                                       "option", "case-weeks", le=1000, plausible=(2.0, 10.0))
    residual_rate: float = dial(0.3, "how fast a pair's own experience corrects team knowledge for this citizen",
                                "per week of full contact", plausible=(0.15, 0.5))
    central_evaluation: bool = flag(True, "evaluators re-pick standard pathways from reported data when "
                                    "practices.learning < 0.5 (false = never)")
    central_eval_weeks: int = whole(52, "weeks between central evaluations of reported data under NPM", "weeks",
                                    1, 520, plausible=(26, 104))
    central_min_cases: int = whole(5, "cases a trial arm needs in a cell before central evaluation reads its rate",
                                   "cases", 1, 10_000, plausible=(3, 10))
    central_prior_cases: float = amount(10.0, "cases the current pathway's rate counts as in a trial arm's estimate",
                                        "cases", le=10_000, plausible=(5.0, 20.0))
    error_sharing_npm: float = dial(0.3, "share of failed experiments brought to learning sessions under "
                                    "hierarchical leadership (1 at distributed leadership)", "share",
                                    plausible=(0.1, 0.5))
    trial_share: float = dial(0.1, "share of new cases central evaluation assigns a random option, so options can "
                              "be compared (0 = no trials)", "share", plausible=(0.05, 0.2))
    conversation_npm: float = dial(0.1, "how much a transactional contact reveals of what matters",
                                   plausible=(0.05, 0.2))
    conversation_hls: float = dial(0.8, "how much a what-matters conversation reveals",
                                   source="seed: Learning relationships and trust", plausible=(0.6, 0.95))


class Measurement(_Group):
    """How truth becomes record: success, noise and the biases of those who report (docs/ODD.md 7.8)."""

    success_gain: float = dial(0.05, "gain counted as a success, on one scale for truth and record: in the "
                               "citizen's own flourishing (true success), in the measured domains' mean wellbeing "
                               "(proxy success) and in what the citizen says changed", "flourishing points",
                               plausible=(0.03, 0.08))
    proxy_noise_sd: float = dial(0.02, "s.d. of error in the proxy as recorded at closing (objective records such as "
                                 "a job or a tenancy are read fairly reliably)", WB,
                                 "Glick 2009; Hameed et al. 2018 (objective items not biased at exit)",
                                 plausible=(0.01, 0.04))
    voice_noise_sd: float = dial(0.05, "s.d. of how a citizen's account of what changed misstates it, with no "
                                 "trust (none at full trust)", "flourishing", plausible=(0.025, 0.1))
    courtesy_bias: float = dial(0.03, "how much a citizen's account, given to their own worker, overstates what "
                                "changed, at full trust (0 = no courtesy bias)", "flourishing",
                                "Dunsch et al. 2018 (+8 pp satisfaction, up to 19); Cuijpers et al. 2010, Miguel "
                                "et al. 2025 (staff-rated change +0.1-0.2 SD)",
                                plausible=(0.01, 0.06, "Dunsch et al. 2018 (+8 pp, up to 19); Miguel et al. 2025 "
                                                       "(+0.12-0.20 SD)"))
    objective_domains: tuple[str, ...] = _field(("housing", "income_work"), "domains whose change a citizen's weekly "
                                                "account states as fact (a tenancy, a job), without courtesy; in the "
                                                "others they speak of how things feel, kindly", "domains",
                                                "Glick 2009; Hameed et al. 2018 (exit interviews biased upward on "
                                                "subjective, relational items, not on objective ones)")
    independent_followup: float = dial(0.0, "share of closed cases whose account is taken by someone independent of "
                                       "the worker (no courtesy bias)", "share",
                                       "Glick 2009; Hameed et al. 2018 (exit vs home interviews)",
                                       plausible=(0.0, 0.3))
    observation_sd: float = dial(0.05, "s.d. of how a pair misreads what support did, with no trust",
                                 "effect points", plausible=(0.025, 0.1))
    observation_floor: float = dial(0.1, "share of observation noise left at full trust", "share",
                                    plausible=(0.05, 0.2))
    optimism_bias: float = dial(0.3, "how much a worker overrates the effect of the support they chose, and "
                                "underrates its harms (0 = none)", "share of the effect",
                                "Walfish et al. 2012; Hannan et al. 2005; Davis et al. 2006",
                                plausible=(0.15, 0.5, "Walfish et al. 2012; Hannan et al. 2005"))
    attribution: float = dial(0.3, "share of the change in a life that support did not cause (recovery, events, "
                              "spillover from elsewhere) that a pair credits to the support (0 = none)", "share",
                              "confounded learning; Whiteford et al. 2013 (untreated remission)",
                              plausible=(0.1, 0.5))
    whole_life_view: float = dial(1.0, "how much of support's spillover into a citizen's other domains a pair sees "
                                  "and learns from (0 = only the direct effect on each domain, as standard evidence "
                                  "sees it)", "share", "seed: Human flourishing ('interdependent factors')",
                                  plausible=(0.5, 1.0))
    what_matters_sd: float = dial(0.15, "s.d. of how a citizen's words misstate what matters, with no trust",
                                  "weight", plausible=(0.08, 0.25))
    parked_share_of_fair: float = dial(0.25, "a case getting less than this share of its fair share of time ...",
                                       "share", "Rees, Whitworth & Carter 2013 (parking)", plausible=(0.15, 0.35))
    parked_weeks: int = whole(4, "... for this many weeks in a row counts as parked", "weeks", 1, 520,
                              plausible=(2, 8))
    failure_demand_window_weeks: int = whole(52, "a request within this many weeks of an exit with need unmet is "
                                             "failure demand", "weeks", 1, 520, "Seddon 2003 (failure demand); a year is an assumption",
                                             plausible=(26, 78))
    gaming_threshold: float = dial(0.1, "share of a provider's claimed successes in a re-commissioning period that "
                                   "were misreported (recorded as successes against the honest record) above which it "
                                   "counts as gaming", "share",
                                   "assumption; deliberate falsification runs at about 3-7% of units under strong "
                                   "stakes (Jacob & Levitt 2003)", plausible=(0.05, 0.2))
    followup_cost: float = amount(50.0, "£ per account taken independently of the worker (an independent follow-up "
                                  "contact at a review or at closing)", "£ per account",
                                  source=FOLLOWUP_COST_SOURCE, plausible=(20.0, 250.0, FOLLOWUP_COST_SOURCE))

    @field_validator("objective_domains", mode="before")
    @classmethod
    def _known_domains(cls, value: Any) -> Any:
        return domain_list(value, allow_empty=True)


class Quality(_Group):
    """Bad practice: how it arises, what it costs, and what catches it (inspection or peer learning)."""

    drift_rate: float = dial(0.005, "weekly chance a worker's practice drifts into a bad habit (0 = never)",
                             PER_WEEK, plausible=(0.0025, 0.01))
    harm: float = dial(0.5, "share of a worker's support effect lost while their practice is bad", "share",
                       plausible=(0.25, 0.75))
    protocol_protection: float = dial(0.35, "share of drift a standard protocol prevents in a closed world (none "
                                      "as lives become complex)", "share",
                                      "Haynes et al. 2009; Rotter et al. 2010 (30-40% fewer errors on simple "
                                      "tasks, about 0 on complex ones)",
                                      plausible=(0.2, 0.45, "Haynes et al. 2009; Rotter et al. 2010 (30-40%); "
                                                            "Urbach et al. 2014 (about 0)"))
    inspection_catch: float = dial(0.5, "weekly chance that inspection, at the full inspection rate, exposes and "
                                   "corrects a worker's bad practice (scaled by the inspection rate)", "probability",
                                   "Audit Commission 2011 (detection is weak)", plausible=(0.25, 0.75))
    peer_catch: float = dial(0.5, "chance a learning session exposes and corrects a member's bad practice, when "
                             "all errors are shared", "probability", "seed: Learning Cycles, error sharing",
                             plausible=(0.25, 0.75))


class Trust(_Group):
    initial: float = dial(0.2, "trust at the start of a relationship", plausible=(0.1, 0.35))
    build_rate: float = dial(0.08, "weekly trust gained from consistent, responsive contact", PER_WEEK,
                             "seed: Learning relationships and trust", plausible=(0.04, 0.15))
    responsiveness: float = dial(0.5, "share of trust-building that needs the citizen to feel their life got "
                                 "better that week", plausible=(0.25, 0.75))
    engagement: float = dial(0.0, "how much support's effect depends on trust (0 = not at all)", plausible=(0.0, 0.5))
    decay_rate: float = dial(0.03, "weekly trust lost without contact or help", PER_WEEK, plausible=(0.015, 0.06))
    contact_hours_full: float = amount(1.5, "weekly hours of contact that count as consistent", "hours per week",
                                       le=40, strictly_positive=True, plausible=(1.0, 3.0))


class Agency(_Group):
    growth: float = dial(0.02, "weekly agency gained from a trusting, supportive relationship", PER_WEEK,
                         "seed: Agency", plausible=(0.01, 0.04))
    decay: float = dial(0.005, "weekly return of agency to its starting level", PER_WEEK, plausible=(0.0025, 0.01))
    support_effect: float = dial(0.6, "how much support's effect depends on the citizen's agency (effect x "
                                 "(1 - k + 2k x agency))", "share", plausible=(0.4, 0.8))


class Funding(_Group):
    budget_per_citizen_year: float | None = _field(None, "£ a year the funder holds; default: staff cost plus the "
                                                   "service pot", "£ per citizen per year", ASSUMED, ge=0)
    service_pot_per_citizen_year: float = amount(300.0, "£ a citizen a year for services bought for cases (menu or "
                                                 "devolved)", "£ per citizen per year", plausible=(150.0, 450.0))
    max_spend_per_case_week: float = amount(40.0, "£ most a case can draw from the service pot in a week",
                                            "£ per case-week", plausible=(20.0, 60.0))
    spend_per_support_hour: float = amount(50.0, "£ that buys as much support as one relational hour", "£ per hour",
                                           strictly_positive=True, plausible=(35.0, 75.0))
    devolved_capture: float = dial(0.5, "how far devolved money follows how insistent a citizen is (their agency) "
                                   "rather than being shared alike (0 = shared alike)", "share",
                                   "Malbon et al. 2022 (NDIS budget use follows a social gradient)",
                                   plausible=(0.25, 0.75, "Malbon et al. 2022 (NDIS use follows a social gradient)"))
    devolved_misuse: float = dial(0.1, "share of devolved money spent on what the worker prefers rather than what "
                                  "the pair chose (0 = none)", "share",
                                  "Audit Commission 2011; Glendinning et al. 2008",
                                  plausible=(0.02, 0.2, "Audit Commission 2011 (rare as detected; detection weak)"))


class Contract(_Group):
    """How the funder pays providers and what it reads (seed, "Funding for learning")."""

    measure: Literal["reported_outcomes", "activity", "learning_accounts"] = _field(
        "reported_outcomes", "what the funder ranks providers by at re-commissioning", "choice",
        "seed: Funding for learning")
    share_at_risk: float = dial(0.2, "share of the service budget the funder withholds and pays back per reported "
                                "outcome (0 = a block payment)", "share", plausible=(0.0, 0.6))
    price_stable: float = amount(300.0, "£ per reported outcome for a citizen stable at intake", "£",
                                 plausible=(150.0, 1000.0))
    price_complex: float = amount(300.0, "£ per reported outcome for a citizen with 1-2 low domains at intake", "£",
                                  plausible=(150.0, 1000.0))
    price_smd: float = amount(300.0, "£ per reported outcome for a citizen with SMD at intake", "£",
                              source="Work Programme: £3,700-£6,600 by payment group (Work & Pensions Committee "
                              "2013)", plausible=(150.0, 1000.0))
    length_weeks: int = whole(156, "contract length: at its end the weakest providers exit and new ones enter",
                              "weeks", 4, 1040, plausible=(104, 260))
    recommission_weeks: int = whole(52, "weeks between re-commissioning rounds that move budget between providers",
                                    "weeks", 4, 1040, plausible=(26, 104))
    report_weight: float = dial(0.5, "under learning accounts, how far the funder's renewal reads providers' own "
                                "learning reports (the accounts and stories they choose to record) rather than what it "
                                "hears from citizens directly (0 = only citizens heard directly)", "share",
                                "Ebrahim 2005 (funders' demands narrow what non-profits learn and report); Campbell "
                                "1979; size an assumption (no published rate of story selection)", plausible=(0.2, 0.8))


class Market(_Group):
    """Providers competing for the funder's budget (Smaldino & McElreath 2016; Braganza 2022)."""

    providers: int = whole(1, "provider organisations; teams are spread across them", "providers", 1, 200,
                           plausible=(1, 6))
    competition: float = amount(1.0, "how strongly re-commissioning moves budget toward the best-scoring providers "
                                "(0 = never)", "log budget per s.d. of score", le=20,
                                source="Smaldino & McElreath 2016; Braganza 2022", plausible=(0.5, 2.0))
    imitation: float = dial(0.5, "chance a below-median provider copies the top scorer's strategy at "
                            "re-commissioning", "probability", plausible=(0.25, 0.75))
    mutation: float = dial(0.1, "s.d. of random change in each provider's strategy at re-commissioning",
                           plausible=(0.05, 0.2))
    strategy_concentration: float = amount(2.0, "Beta(a, a) shape of a new provider's strategies (larger = closer "
                                           "to neutral)", "shape", le=100, strictly_positive=True,
                                           plausible=(1.0, 5.0))
    exit_share: float = dial(0.05, "budget share below which a provider exits at contract end", "share",
                             plausible=(0.02, 0.1))
    transfer_breaks_relationships: bool = flag(True, "citizens of a team that moves provider start a new "
                                               "relationship")
    margin_steering: float = amount(1.0, "how strongly a provider's front door, service spending and caseload time "
                                    "follow its expected margin by payment group: a group whose expected margin (as a "
                                    "share of its cases' cost) falls x short of the best group's, or of breaking even "
                                    "if every group loses money, is taken on and resourced (1 - steering x 2 "
                                    "selectivity x x) as fully (0 = providers' finances steer nothing)",
                                    "per unit of margin", le=10,
                                    source="Work Programme: providers spent £630 per ESA claimant against £1,360 at "
                                    "bid (NAO data, Public Accounts Committee 2014); Rees, Whitworth & Carter 2014; "
                                    "Carter & Whitworth 2015 (creaming and parking designed in by the payment "
                                    "structure); size an assumption", plausible=(0.25, 3.0))
    margin_prior_cases: float = amount(10.0, "closed cases a provider's estimate of a payment group's success rate, "
                                       "cost and length counts its organisation-wide average as, before its own "
                                       "cases of that group", "cases", le=10_000, strictly_positive=True,
                                       plausible=(5.0, 30.0))


class Params(_Group):
    world: World = Field(default_factory=World)
    evidence: Evidence = Field(default_factory=Evidence)
    population: Population = Field(default_factory=Population)
    service: Service = Field(default_factory=Service)
    crisis: Crisis = Field(default_factory=Crisis)
    workforce: Workforce = Field(default_factory=Workforce)
    practices: Practices = Field(default_factory=Practices)
    pathways: Pathways = Field(default_factory=Pathways)
    caseload: Caseload = Field(default_factory=Caseload)
    queue: Queue = Field(default_factory=Queue)
    targets: Targets = Field(default_factory=Targets)
    incentives: Incentives = Field(default_factory=Incentives)
    learning: Learning = Field(default_factory=Learning)
    measurement: Measurement = Field(default_factory=Measurement)
    quality: Quality = Field(default_factory=Quality)
    trust: Trust = Field(default_factory=Trust)
    agency: Agency = Field(default_factory=Agency)
    funding: Funding = Field(default_factory=Funding)
    contract: Contract = Field(default_factory=Contract)
    market: Market = Field(default_factory=Market)

    def flat(self) -> dict[str, Any]:
        """The parameters as dotted keys, the form users and stores see."""
        out: dict[str, Any] = {}
        for group, model in self:
            for key, value in model:
                out[f"{group}.{key}"] = list(value) if isinstance(value, tuple) else value
        return out
