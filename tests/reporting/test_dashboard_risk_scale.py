"""The dashboard's top risks and threat exposure, read the short way (only open threats; only those scored at
least the tenth-highest score get full rows), equal the full computation over every risk (bench/load found
the full one taking seconds with 10,000 risks)."""

from decimal import Decimal

from pmo.core.roles import Role
from pmo.portfolio.models import Project
from pmo.reporting.dashboard import dashboard
from pmo.risks import selectors as risks
from pmo.risks.models import Risk


def _risks(org):
    n = 0
    for project in (org["p1"], org["p2"]):
        for p in range(1, 6):
            for i in range(1, 6):
                n += 1
                Risk.objects.create(
                    code=f"R-{n:03d}",
                    project=project,
                    title=f"Risk {n}",
                    kind=Risk.Kind.OPPORTUNITY if n % 7 == 0 else Risk.Kind.THREAT,
                    status=Risk.Status.CLOSED if n % 5 == 0 else Risk.Status.OPEN,
                    probability=p,
                    impact=i,
                    score=p * i,
                    cost_impact=Decimal(1000 * n),
                    schedule_impact_days=n,
                )
    Risk.objects.create(
        code="R-PF", portfolio=org["portfolio"], title="Portfolio risk", probability=5, impact=5, score=25
    )


def test_top_risks_and_exposure_equal_the_full_computation(roles, org):
    Project.objects.filter(pk__in=[org["p1"].pk, org["p2"].pk]).update(state="executing")
    _risks(org)
    director = roles[Role.PMO_DIRECTOR]
    board = dashboard(director)

    every = risks.rows(risks.base())
    assert [r.risk.code for r in board.top_risks] == [r.risk.code for r in risks.top(every)]
    assert len(board.top_risks) == risks.TOP_N
    lines, _total = risks.exposure_by([r for r in every if r.risk.project_id], "project")
    expected = {line.key: line.threat_money for line in lines}
    assert {r.project.code: r.exposure for r in board.rows} == {"P1": expected["P1"], "P2": expected["P2"]}
    assert expected["P1"] > 0 and expected["P2"] > 0
