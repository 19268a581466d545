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
PRACTICES = (
    "public_facing",
    "leadership",
    "resource_allocation",
    "learning",
    "operational_management",
    "governance",
)


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def unit(default: float, doc: str) -> Any:
    """A share, probability or dial in [0, 1]."""
    return Field(default, ge=0.0, le=1.0, description=doc)


def positive(default: float, doc: str, le: float | None = None) -> Any:
    return Field(default, ge=0.0, le=le, description=doc)


class World(_Group):
    uniqueness: float = unit(0.8, "0 = everyone values the same domains and responds to support alike")
    interdependence: float = unit(0.6, "0 = change in one life domain never spills into another")
    dynamism: float = unit(0.5, "0 = what matters, what works and life circumstances never change")
    life_event_rate: float = unit(0.04, "weekly chance of a life event at dynamism 1")
    life_event_severity: float = unit(0.25, "wellbeing lost in the hit domain by a life event")
    weight_drift: float = unit(0.02, "weekly s.d. of drift in what matters, at dynamism 1")
    effect_drift: float = unit(0.03, "weekly s.d. of drift in what works for a citizen, at dynamism 1")
    evidence_drift: float = unit(0.01, "weekly s.d. of drift in population-average effects, at dynamism 1")
    recovery_rate: float = unit(0.01, "weekly pull of wellbeing back to a citizen's circumstances")
    capability_gain: float = unit(0.35, "share of a support gain that lastingly moves circumstances")
    structural_pull: float = unit(0.01, "weekly pull of circumstances back toward a citizen's structural position (0 = gains last for ever)")


class Population(_Group):
    citizens: int = Field(2000, ge=10, le=5_000_000, description="citizens in the place")
    smd_share: float = unit(0.2, "share starting with severe multiple disadvantage (3+ low domains)")
    complex_share: float = unit(0.35, "share starting with one or two low domains")
    agency_mean: float = unit(0.5, "mean capacity to act on one's own goals")
    help_seeking: float = unit(0.06, "weekly chance an unsupported citizen in need asks for help")
    crisis_referral: float = unit(0.5, "chance a crisis leads services to refer the citizen for help (0 = crises never refer)")
    turnover: float = unit(0.002, "weekly chance a resident moves away and a new one, drawn like the first, arrives (0 = closed population)")


class Crisis(_Group):
    enabled: bool = Field(True, description="false switches crisis events and their costs off")
    low_threshold: float = unit(0.35, "wellbeing below this is a low domain (SMD = 3+ low domains)")
    base_rate: float = positive(0.21, "weekly crisis hazard of a domain at wellbeing 0", le=1.0)
    cost_housing: float = positive(2200.0, "£ per housing crisis (emergency accommodation episode)")
    cost_health: float = positive(1800.0, "£ per health crisis (A&E, ambulance, admission share)")
    cost_income_work: float = positive(450.0, "£ per income crisis (crisis payments, arrears action)")
    cost_relationships: float = positive(900.0, "£ per relationship crisis (social care, family crisis)")
    cost_safety: float = positive(1600.0, "£ per safety crisis (police call-out, custody, court)")
    cost_purpose: float = positive(1300.0, "£ per mental health crisis (crisis team, section 136)")
    harm: float = unit(0.05, "wellbeing lost in the domain when a crisis happens")


class Workforce(_Group):
    workers_per_1000: float = Field(15.0, gt=0, le=1000, description="front-line workers per 1,000 citizens")
    team_size: int = Field(10, ge=1, le=100, description="workers per team (one manager each)")
    hours_per_week: float = Field(37.5, gt=0, le=80, description="contracted hours a worker a week")
    salary_per_year: float = positive(38000.0, "£ loaded cost of a worker a year")
    manager_salary_per_year: float = positive(52000.0, "£ loaded cost of a manager a year")
    motivation_mean: float = unit(0.7, "mean intrinsic motivation of a new worker")
    crowding_out: float = unit(0.3, "how far control erodes intrinsic motivation (0 = never)")
    stress_recovery: float = unit(0.05, "weekly speed at which stress moves toward its resting level plus current workload")
    burnout_threshold: float = unit(0.7, "stress above which a worker counts as burnt out")
    turnover_base: float = unit(0.15, "yearly chance a worker leaves, before stress")
    turnover_burnout: float = unit(0.6, "extra yearly chance of leaving when burnt out")
    reassignment: bool = Field(True, description="false leaves a departing worker's citizens unserved")


class Practices(_Group):
    """Figure 1's six practices: 0 (or 'npm') is NPM, 1 (or 'hls') is HLS, between is a mix."""

    public_facing: float = unit(0.0, "standard pathways (0) to bespoke, what-matters support (1)")
    leadership: float = unit(0.0, "hierarchical command (0) to distributed leadership (1)")
    resource_allocation: float = unit(0.0, "menu and payment per outcome (0) to devolved budgets (1)")
    learning: float = unit(0.0, "central evaluation of reports (0) to team learning cycles (1)")
    operational_management: float = unit(0.0, "control, high caseloads (0) to healthy systems (1)")
    governance: float = unit(0.0, "targets and compliance (0) to governing for learning (1)")

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
    length_weeks: int = Field(16, ge=1, le=520, description="weeks a standard pathway runs before closure")
    eligibility_threshold: float = unit(0.3, "presenting need must be below this wellbeing to be served (0 = none turned away)")
    assessment_noise: float = unit(0.1, "s.d. of error when assessment reads a domain's wellbeing")
    ready_flourishing: float = unit(0.6, "own flourishing at which a citizen with no low domain decides to leave the service (1 = never leaves of their own accord)")


class Caseload(_Group):
    npm_cap: int = Field(30, ge=1, le=500, description="cases per worker under NPM management")
    hls_cap: int = Field(12, ge=1, le=500, description="cases per worker under HLS management")
    recording_npm_hours: float = positive(0.5, "hours a case a week of recording and reporting under NPM governance", le=20)
    recording_hls_hours: float = positive(0.25, "hours a case a week of recording under HLS governance", le=20)
    fixed_admin_hours: float = positive(2.0, "hours a worker a week of unavoidable administration", le=40)
    dose_half_hours: float = Field(2.0, gt=0, le=40, description="relational hours a week giving half the maximum support effect")


class Targets(_Group):
    pressure: float = unit(0.7, "how much rides on the proxy (0 = measured, nothing rides on it)")
    measured_domains: tuple[str, ...] = Field(("income_work", "housing"), description="domains the proxy measures")
    success_gain: float = unit(0.1, "gain in measured wellbeing counted as a proxy success")
    initial_rate: float = unit(0.4, "team's first target success rate")
    ratchet: float = unit(0.5, "share of over-performance added to next period's target (0 = none)")
    period_weeks: int = Field(13, ge=1, le=260, description="weeks in a target period")

    @field_validator("measured_domains", mode="before")
    @classmethod
    def _known_domains(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = tuple(v.strip() for v in value.split(",") if v.strip())
        unknown = [v for v in value if v not in DOMAINS]
        if unknown:
            raise ValueError(f"unknown domain(s) {unknown}; allowed: {', '.join(DOMAINS)}")
        if not value:
            raise ValueError("needs at least one domain")
        return tuple(value)


class Incentives(_Group):
    reward_per_success: float = positive(0.5, "worth to a worker of a paid reported outcome, relative to motivation, when half the budget is at risk", le=10)
    target_weight: float = positive(0.2, "worth to a worker of a reported success toward the team target, relative to motivation", le=10)
    sanction_per_detection: float = positive(1.0, "cost to a worker of being caught misreporting, relative to motivation", le=100)
    inspection_rate: float = unit(0.1, "chance a record is audited (detection probability)")
    honesty_mean: float = positive(0.6, "mean moral cost a worker feels in misreporting", le=10)


class Learning(_Group):
    cycle_weeks: int = Field(4, ge=1, le=104, description="weeks between team learning sessions")
    session_hours: float = positive(2.0, "hours a worker a week of learning and reflection under HLS", le=20)
    cross_team: float = unit(0.3, "how much each team's knowledge moves toward its organisation's pooled knowledge each cycle")
    cross_provider: float = unit(0.3, "how much each team's knowledge moves toward the place's pooled knowledge each cycle (connects organisations)")
    double_loop: bool = Field(True, description="managers adjust how fast their team explores from how well it predicts")
    exploration: float = unit(0.15, "initial chance a worker tries an option other than its best guess")
    central_evaluation: bool = Field(True, description="evaluators re-pick standard pathways from reported data when practices.learning < 0.5 (false = never)")
    central_eval_weeks: int = Field(52, ge=1, le=520, description="weeks between central evaluations of reported data under NPM")
    error_sharing_npm: float = unit(0.3, "share of failed experiments brought to learning sessions under hierarchical leadership (1 at distributed leadership)")
    trial_share: float = unit(0.1, "share of new cases central evaluation assigns a random option, so options can be compared (0 = no trials)")
    conversation_npm: float = unit(0.1, "how much a transactional contact reveals of what matters")
    conversation_hls: float = unit(0.8, "how much a what-matters conversation reveals")


class Trust(_Group):
    initial: float = unit(0.2, "trust at the start of a relationship")
    build_rate: float = unit(0.08, "weekly trust gained from consistent, responsive contact")
    engagement: float = unit(0.0, "how much support's effect depends on trust (0 = not at all)")
    decay_rate: float = unit(0.03, "weekly trust lost without contact or help")
    contact_hours_full: float = Field(1.5, gt=0, le=40, description="weekly hours of contact that count as consistent")


class Agency(_Group):
    growth: float = unit(0.02, "weekly agency gained from a trusting, supportive relationship")
    decay: float = unit(0.005, "weekly return of agency to its starting level")


class Funding(_Group):
    budget_per_citizen_year: float | None = Field(None, ge=0, description="£ a year the funder holds; default: staff cost plus the service pot")
    service_pot_per_citizen_year: float = positive(300.0, "£ a citizen a year for services bought for cases (menu or devolved)")
    max_spend_per_case_week: float = positive(40.0, "£ most a case can draw from the service pot in a week")
    spend_per_support_hour: float = Field(50.0, gt=0, description="£ that buys as much support as one relational hour")


class Contract(_Group):
    """How the funder pays providers and what it reads (seed, "Funding for learning")."""

    measure: Literal["reported_outcomes", "activity", "learning_accounts"] = Field(
        "reported_outcomes", description="what the funder ranks providers by at re-commissioning")
    share_at_risk: float = unit(0.2, "share of the service budget the funder withholds and pays back per reported outcome (0 = a block payment)")
    price_stable: float = positive(300.0, "£ per reported outcome for a citizen stable at intake")
    price_complex: float = positive(300.0, "£ per reported outcome for a citizen with 1-2 low domains at intake")
    price_smd: float = positive(300.0, "£ per reported outcome for a citizen with SMD at intake")
    length_weeks: int = Field(156, ge=4, le=1040, description="contract length: at its end the weakest providers exit and new ones enter")
    recommission_weeks: int = Field(52, ge=4, le=1040, description="weeks between re-commissioning rounds that move budget between providers")


class Market(_Group):
    """Providers competing for the funder's budget (Smaldino & McElreath 2016; Braganza 2022)."""

    providers: int = Field(1, ge=1, le=200, description="provider organisations; teams are spread across them")
    competition: float = positive(1.0, "how strongly re-commissioning moves budget toward the best-scoring providers (0 = never)", le=20)
    imitation: float = unit(0.5, "chance a below-median provider copies the top scorer's strategy at re-commissioning")
    mutation: float = unit(0.1, "s.d. of random change in each provider's strategy at re-commissioning")
    exit_share: float = unit(0.05, "budget share below which a provider exits at contract end")
    transfer_breaks_relationships: bool = Field(True, description="citizens of a team that moves provider start a new relationship")


class Params(_Group):
    world: World = Field(default_factory=World)
    population: Population = Field(default_factory=Population)
    crisis: Crisis = Field(default_factory=Crisis)
    workforce: Workforce = Field(default_factory=Workforce)
    practices: Practices = Field(default_factory=Practices)
    pathways: Pathways = Field(default_factory=Pathways)
    caseload: Caseload = Field(default_factory=Caseload)
    targets: Targets = Field(default_factory=Targets)
    incentives: Incentives = Field(default_factory=Incentives)
    learning: Learning = Field(default_factory=Learning)
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
