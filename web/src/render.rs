//! Pages: the page templates (embedded, beside the GOV.UK components) and
//! what every page is rendered with.

use serde::Serialize;
use serde_json::{Value, json};
use tera::{Context, Tera};

use crate::assets::Assets;
use crate::session::Person;

/// The page templates, by name.
const PAGES: &[(&str, &str)] = &[
    ("layout.html", include_str!("../templates/layout.html")),
    ("sign-in.html", include_str!("../templates/sign-in.html")),
    ("signed-out.html", include_str!("../templates/signed-out.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("cases.html", include_str!("../templates/cases.html")),
    ("case-handovers.html", include_str!("../templates/case-handovers.html")),
    ("case.html", include_str!("../templates/case.html")),
    ("case-form.html", include_str!("../templates/case-form.html")),
    ("meetings.html", include_str!("../templates/meetings.html")),
    ("meeting.html", include_str!("../templates/meeting.html")),
    ("meeting-attendance.html", include_str!("../templates/meeting-attendance.html")),
    ("meeting-minutes.html", include_str!("../templates/meeting-minutes.html")),
    ("publications.html", include_str!("../templates/publications.html")),
    ("publication.html", include_str!("../templates/publication.html")),
    ("publication-form.html", include_str!("../templates/publication-form.html")),
    ("members.html", include_str!("../templates/members.html")),
    ("member.html", include_str!("../templates/member.html")),
    ("audit.html", include_str!("../templates/audit.html")),
    ("audit-verification.html", include_str!("../templates/audit-verification.html")),
    ("history.html", include_str!("../templates/history.html")),
    ("actions.html", include_str!("../templates/actions.html")),
    ("action.html", include_str!("../templates/action.html")),
    ("action-form.html", include_str!("../templates/action-form.html")),
    ("decisions.html", include_str!("../templates/decisions.html")),
    ("decision.html", include_str!("../templates/decision.html")),
    ("decision-form.html", include_str!("../templates/decision-form.html")),
    ("forward-plan.html", include_str!("../templates/forward-plan.html")),
    ("forward-plan-item.html", include_str!("../templates/forward-plan-item.html")),
    ("forward-plan-form.html", include_str!("../templates/forward-plan-form.html")),
    ("forward-plan-import.html", include_str!("../templates/forward-plan-import.html")),
    ("social-queue.html", include_str!("../templates/social-queue.html")),
    ("motions.html", include_str!("../templates/motions.html")),
    ("motion.html", include_str!("../templates/motion.html")),
    ("motion-form.html", include_str!("../templates/motion-form.html")),
    ("motion-outcome.html", include_str!("../templates/motion-outcome.html")),
    ("motion-whip-report.html", include_str!("../templates/motion-whip-report.html")),
    ("problem.html", include_str!("../templates/problem.html")),
    ("bodies.html", include_str!("../templates/bodies.html")),
    ("bodies-vacancies.html", include_str!("../templates/bodies-vacancies.html")),
    ("body.html", include_str!("../templates/body.html")),
    ("body-form.html", include_str!("../templates/body-form.html")),
    ("body-dissolve.html", include_str!("../templates/body-dissolve.html")),
    ("appointment.html", include_str!("../templates/appointment.html")),
    ("elections.html", include_str!("../templates/elections.html")),
    ("election.html", include_str!("../templates/election.html")),
    ("election-form.html", include_str!("../templates/election-form.html")),
    ("briefings.html", include_str!("../templates/briefings.html")),
    ("briefing.html", include_str!("../templates/briefing.html")),
    ("briefing-version.html", include_str!("../templates/briefing-version.html")),
    ("briefing-form.html", include_str!("../templates/briefing-form.html")),
    ("group-events.html", include_str!("../templates/group-events.html")),
    ("group-event.html", include_str!("../templates/group-event.html")),
    ("group-event-form.html", include_str!("../templates/group-event-form.html")),
    // Training: the catalogue, a member's record, lapses.
    ("courses.html", include_str!("../templates/courses.html")),
    ("course.html", include_str!("../templates/course.html")),
    ("course-form.html", include_str!("../templates/course-form.html")),
    ("training-record.html", include_str!("../templates/training-record.html")),
    ("training-expiries.html", include_str!("../templates/training-expiries.html")),
    // Training needs are on the record's page; the draft group training plan.
    ("training-plan.html", include_str!("../templates/training-plan.html")),
    ("induction-list.html", include_str!("../templates/induction-list.html")),
    ("induction-steps.html", include_str!("../templates/induction-steps.html")),
    ("induction-step-form.html", include_str!("../templates/induction-step-form.html")),
    ("induction.html", include_str!("../templates/induction.html")),
    // Probity: donations (issue 18).
    ("donations.html", include_str!("../templates/donations.html")),
    ("donation.html", include_str!("../templates/donation.html")),
    // The group's budget (issue 18).
    ("budgets.html", include_str!("../templates/budgets.html")),
    ("budget.html", include_str!("../templates/budget.html")),
    ("budget-form.html", include_str!("../templates/budget-form.html")),
    ("budget-spending.html", include_str!("../templates/budget-spending.html")),
    ("budget-statement.html", include_str!("../templates/budget-statement.html")),
    // Probity: the registers of interests and their review (issue 18).
    ("registers.html", include_str!("../templates/registers.html")),
    ("register.html", include_str!("../templates/register.html")),
    ("register-entry-fields.html", include_str!("../templates/register-entry-fields.html")),
    ("register-entry.html", include_str!("../templates/register-entry.html")),
    ("register-changes.html", include_str!("../templates/register-changes.html")),
    ("interests-review.html", include_str!("../templates/interests-review.html")),
    ("donation-form.html", include_str!("../templates/donation-form.html")),
];

/// The components and the pages, ready to render.
pub fn templates() -> tera::Result<Tera> {
    let mut tera = crate::components::templates()?;
    tera.add_raw_templates(PAGES.iter().copied())?;
    Ok(tera)
}

/// The sections of the service navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The landing page.
    Home,
    /// Casework.
    Cases,
    /// The open cases of councillors who have left, to hand over.
    CaseHandovers,
    /// Meetings.
    Meetings,
    /// Communications: publications.
    Publications,
    /// The members directory.
    Members,
    /// The audit log and records' histories.
    Audit,
    /// Actions: who is doing what by when.
    Actions,
    /// The decisions register.
    Decisions,
    /// Bodies, their seats and appointments.
    Bodies,
    /// The council's forward plan and the group's positions on it.
    ForwardPlan,
    /// Motions and questions for the council's meetings.
    Motions,
    /// Elections to the group's posts.
    Elections,
    /// Briefing and speaking notes.
    Briefings,
    /// Group events: seminars, away days, training, conferences, socials.
    Events,
    /// Councillor training: courses, members' records, lapses.
    Training,
    /// Probity (issue 18): donations to the group's funds.
    Donations,
    /// The group's budgets, their lines and spending (issue 18).
    Budget,
    /// The financial year's budget statement (issue 18).
    BudgetStatement,
    /// Probity (issue 18): members' registers of interests and their review.
    Interests,
    /// None (sign-in, errors).
    None,
}

/// A section's link: its text, where it goes, which section it is, and the
/// roles that see it (none: everyone signed in).
type Link = (&'static str, &'static str, Section, &'static [&'static str]);

/// The navigation: each area's name and its sections' links,
/// the first section being where the area's link goes. Areas keep the bar
/// on one line at 1280 CSS pixels; a page shows its area's sections below it.
const AREAS: &[(&str, &[Link])] = &[
    ("My work", &[("My work", "/", Section::Home, &[])]),
    (
        "Cases",
        &[
            ("Cases", "/cases", Section::Cases, &[]),
            ("Handovers", "/case-handovers", Section::CaseHandovers, AUDITORS),
        ],
    ),
    (
        "Council business",
        &[
            ("Meetings", "/meetings", Section::Meetings, &[]),
            ("Motions", "/motions", Section::Motions, &[]),
            ("Forward plan", "/forward-plan", Section::ForwardPlan, &[]),
            ("Briefings", "/briefings", Section::Briefings, &[]),
        ],
    ),
    (
        "Registers",
        &[
            ("Decisions", "/decisions", Section::Decisions, &[]),
            ("Actions", "/actions", Section::Actions, &[]),
            ("Bodies", "/bodies", Section::Bodies, &[]),
            ("Elections", "/elections", Section::Elections, &[]),
            ("Interests", "/registers", Section::Interests, REGISTER_READERS),
        ],
    ),
    ("Publications", &[("Publications", "/publications", Section::Publications, &[])]),
    (
        "People",
        &[
            ("Members", "/members", Section::Members, &[]),
            ("Events", "/group-events", Section::Events, &[]),
            ("Training", "/courses", Section::Training, &[]),
        ],
    ),
    // Probity (issue 18): donors are for those who keep the group's funds.
    (
        "Funds",
        &[
            ("Donations", "/donations", Section::Donations, FUNDS_READERS),
            ("Budget", "/budgets", Section::Budget, BUDGET_READERS),
            ("Budget statement", "/budget-statement", Section::BudgetStatement, STATEMENT_READERS),
        ],
    ),
    ("Audit", &[("Audit", "/audit", Section::Audit, AUDITORS)]),
];

/// The roles the api lets audit the group's whole log (`verify_audit_log`,
/// `export_audit_log`): the Audit section is theirs.
pub const AUDITORS: &[&str] = &["assistant", "auditor"];

/// Probity (issue 18): the roles the api lets read donations
/// (`list_donations`): those who keep the group's funds, and auditors.
pub const FUNDS_READERS: &[&str] = &["assistant", "leader", "officer", "auditor"];

/// The roles the api lets read the group's budgets with their spending
/// (`get_budget`): the office, Group Officers and auditors.
pub const BUDGET_READERS: &[&str] = &["assistant", "leader", "officer", "auditor"];

/// The roles the api lets read the year's budget statement
/// (`get_budget_statement`): councillors too, its figures without payees.
pub const STATEMENT_READERS: &[&str] = &["assistant", "leader", "officer", "councillor", "auditor"];
/// Probity (issue 18): the roles the api lets read every member's register
/// of interests and the review (`list_registers`, `get_interests_review`):
/// the office, Group Officers and auditors. A councillor reaches their own
/// register from My work and their member page.
pub const REGISTER_READERS: &[&str] = &["assistant", "leader", "officer", "auditor"];

/// The roles the api lets see personal data: members' contact details, and
/// records' histories (`get_record_history`), which pages link to for them
/// alone.
pub const PERSONAL_DATA_READERS: &[&str] = &["assistant", "leader", "officer", "auditor"];

/// Whether `person` holds any of `roles` (the api checks again: this only
/// decides what a page offers).
pub fn holds_any(person: &Person, roles: &[&str]) -> bool {
    person.roles.iter().any(|role| roles.contains(&role.as_str()))
}

/// What every page has: its title, the person, the header and navigation,
/// the anti-forgery token for its forms.
#[derive(Debug)]
pub struct Frame<'a> {
    /// The page's title (the `<title>` and usually its heading).
    pub title: String,
    /// The group's name.
    pub group_name: &'a str,
    /// Who is signed in, if anyone.
    pub person: Option<&'a Person>,
    /// The section it belongs to.
    pub section: Section,
    /// The session's anti-forgery token.
    pub csrf: String,
    /// The assets' names.
    pub assets: &'a Assets,
}

impl Frame<'_> {
    /// Renders `template` with `page` (the page's own data, always under the
    /// name `page`: a GOV.UK macro looks a name it lacks up in the context, so
    /// no page data may sit at the top level under a macro's argument names),
    /// then the layout around it. Two renders rather than `extends`: Tera
    /// resolves a macro's `self::` calls against the child template when the
    /// macro is called from a parent, so the layout's components would fail.
    pub fn render(&self, tera: &Tera, template: &str, page: impl Serialize) -> tera::Result<String> {
        let mut context = Context::new();
        context.insert("page", &page);
        context.insert("frame", &self.value());
        let content = tera.render(template, &context)?;
        context.insert("content", &content);
        tera.render("layout.html", &context)
    }

    fn value(&self) -> Value {
        // Each area with the sections the person may see; areas with none left out.
        let areas: Vec<(&str, Vec<&Link>)> = match self.person {
            Some(person) => AREAS
                .iter()
                .map(|(name, links)| {
                    (*name, links.iter().filter(|l| l.3.is_empty() || holds_any(person, l.3)).collect())
                })
                .filter(|(_, links): &(&str, Vec<&Link>)| !links.is_empty())
                .collect(),
            None => Vec::new(),
        };
        let within = |links: &[&Link]| links.iter().any(|l| l.2 == self.section);
        let navigation: Vec<Value> = areas
            .iter()
            .map(|(name, links)| json!({"text": name, "href": links[0].1, "active": within(links)}))
            .collect();
        // The sections of the area the page is in, when it has more than one.
        let current = areas.iter().find(|(_, links)| within(links));
        let sections: Vec<Value> = current
            .filter(|(_, links)| links.len() > 1)
            .map(|(_, links)| {
                links
                    .iter()
                    .map(|l| json!({"text": l.0, "href": l.1, "active": l.2 == self.section}))
                    .collect()
            })
            .unwrap_or_default();
        let area = current.map(|(name, _)| *name);
        json!({
            "title": self.title,
            "csrf": self.csrf,
            "person": self.person.map(|p| json!({"name": p.name, "roles": p.roles})),
            "reads_history": self.person.is_some_and(|p| holds_any(p, PERSONAL_DATA_READERS)),
            "header": {"productName": self.group_name, "homepageUrl": "/"},
            "navigation": {"navigation": navigation, "ariaLabel": "Sections"},
            "sections": (!sections.is_empty()).then(|| json!({
                "navigation": sections,
                "navigationId": "sections",
                "navigationLabel": area.map(|a| format!("{a}: sections")),
                "collapseNavigationOnMobile": false,
                "classes": "caucus-sections",
            })),
            "css": format!("/assets/{}", self.assets.css_name),
            "caucus_css": format!("/assets/{}", self.assets.caucus_css_name),
            "init": format!("/assets/{}", self.assets.init_name),
            "licence": format!("/assets/{}", self.assets.licence_name),
        })
    }
}
