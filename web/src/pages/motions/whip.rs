//! The whip report: the group's position on each motion before the council,
//! for the office and auditors.

use super::*;
use crate::pages::period::Period;

/// The most whipped votes the page lists, the latest first: a period of
/// years has hundreds, and the totals by member count every one.
const VOTES_SHOWN: usize = 100;

#[get("/motions/whip-report")]
pub(in crate::pages) async fn whip_report(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let mut period = Period::typed(&query);
    let report: WhipReport =
        period.read((&state, &session, &request), &person, "/motions/whip-report").await?;
    let (from, to) = period.inputs(None, ("For example, 1 5 2026", "For example, 30 4 2027"));
    let name = |m: &caucus_wire::motions::WhipReportMember| {
        m.name.clone().unwrap_or_else(|| "A former member".to_owned())
    };
    let motions: Vec<Value> = report
        .motions
        .iter()
        .rev()
        .take(VOTES_SHOWN)
        .map(|m| {
            let link = format!(
                "<a class=\"govuk-link\" href=\"/motions/{}\">{}</a><span class=\"govuk-body-s govuk-!-display-block govuk-!-margin-top-1 govuk-!-margin-bottom-0\">{}; whip: {}; {}</span>",
                m.motion_id,
                tera::escape_html(&m.title),
                tera::escape_html(&london_time(m.meeting_starts_at)),
                whip_words(m.whip).to_lowercase(),
                status_words(m.status).0.to_lowercase(),
            );
            let against: Vec<String> = m
                .departures
                .iter()
                .map(|d| format!("{} ({})", name(&d.member), vote_words(d.voted).to_lowercase()))
                .collect();
            let absent: Vec<String> = m.absent.iter().map(name).collect();
            let or_none = |names: Vec<String>| if names.is_empty() { "None".to_owned() } else { names.join(", ") };
            json!([{"html": link}, {"text": or_none(against)}, {"text": or_none(absent)}])
        })
        .collect();
    let members: Vec<Value> = report
        .members
        .iter()
        .map(|t| {
            json!([
                {"html": format!("<a class=\"govuk-link\" href=\"/members/{}\">{}</a>", t.member.member_id, tera::escape_html(&name(&t.member)))},
                {"text": t.departures.to_string(), "format": "numeric"},
                {"text": t.absences.to_string(), "format": "numeric"},
            ])
        })
        .collect();
    let frame = state.frame(&session, Some(&person), Section::Motions, "Whip report")?;
    state.page_with(
        period.errors.status(),
        &frame,
        "motion-whip-report.html",
        json!({
            "error_summary": period.errors.summary(),
            "shown": (report.motions.len() > VOTES_SHOWN).then(|| format!(
                "The latest {VOTES_SHOWN} of {} whipped votes in this period are listed; the totals by member count them all. Choose a shorter period to list the others.",
                caucus_wire::thousands(report.motions.len() as u64)
            )),
            "from": from,
            "to": to,
            "motions": (!motions.is_empty()).then(|| json!({
                "caption": "Whipped votes, the latest first",
                "captionClasses": "govuk-table__caption--m",
                "head": [{"text": "Motion"}, {"text": "Voted against the whip"}, {"text": "Absent"}],
                "rows": motions,
            })),
            "members": (!members.is_empty()).then(|| json!({
                "caption": "By member",
                "captionClasses": "govuk-table__caption--m",
                "head": [
                    {"text": "Member"},
                    {"text": "Votes against the whip", "format": "numeric"},
                    {"text": "Votes missed", "format": "numeric"},
                ],
                "rows": members,
            })),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_reads_as_the_status_it_leaves() {
        assert_eq!(outcome_words(Outcome::Amended), "Carried as amended");
        assert_eq!(outcome_words(Outcome::NotReached), "Not reached");
    }

    #[test]
    fn a_deadline_is_flagged_once_passed_or_within_a_week() {
        let now = Utc::now();
        assert!(deadline_flag(now - Duration::hours(1), now).is_some_and(|t| t.contains("passed")));
        assert!(deadline_flag(now + Duration::days(3), now).is_some_and(|t| t.contains("soon")));
        assert_eq!(deadline_flag(now + Duration::days(30), now), None);
    }
}
