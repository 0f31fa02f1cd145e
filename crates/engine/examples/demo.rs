//! A whole (fictional) case through the engine, printed step by step: what the teacher and the
//! coordinator record, what the engine refuses and why, and what it asks for next.
//! Run with `make run` (or `cargo run -p meldcode-engine --example demo`).

use chrono::Duration;
use meldcode_engine::next_actions::next_actions;
use meldcode_engine::profile::SchoolProfile;
use meldcode_engine::records::*;
use meldcode_engine::step::current_step;
use meldcode_engine::testkit::*;
use meldcode_engine::{Actor, Command};

fn show(kit: &Kit) {
    let step = current_step(&kit.state);
    println!("   stap {}: {}", step.number(), step.title_nl());
    for a in next_actions(&kit.state, kit.policy, kit.now).iter().take(3) {
        let due = a
            .due
            .map(|d| format!(" (uiterlijk {d})"))
            .unwrap_or_default();
        let late = if a.overdue { " [TE LAAT]" } else { "" };
        println!("   volgende [{}]{due}{late}: {}", a.rule, a.text);
    }
}

fn act(kit: &mut Kit, who: Actor, what: &str, command: Command) {
    println!("\n{} ({}): {what}", who.role.label_nl(), command.kind());
    match kit.try_as(who, command) {
        Ok(events) => {
            let kinds: Vec<&str> = events.iter().map(|e| e.payload.kind()).collect();
            println!("   vastgelegd: {}", kinds.join(", "));
            show(kit);
        }
        Err(v) => println!("   GEWEIGERD [{}] {}", v.rule, v.message),
    }
}

fn main() {
    let profile = SchoolProfile::mozaiek();
    println!(
        "Meldcode — demo van een volledige casus (fictief) voor {}",
        profile.school_name
    );
    println!("Noodbalk:");
    for c in profile.emergency_bar() {
        if let Some(phone) = &c.phone {
            println!("   {}: {} (tel:{})", c.name, phone.display, phone.dial);
        }
    }

    let mut kit = Kit::new();
    kit.policy.edition = meldcode_engine::policy::Edition::Afwegingskader2019;
    act(
        &mut kit,
        TEACHER,
        "opent een dossier bij het brengen",
        Command::OpenCase {
            pupil: pupil(),
            parents: vec![parent()],
        },
    );
    act(
        &mut kit,
        TEACHER,
        "legt een eigen waarneming vast",
        signal_own(),
    );
    act(
        &mut kit,
        TEACHER,
        "legt vast wat de overblijfkracht hoorde",
        signal_from_other(),
    );
    act(&mut kit, TEACHER, "wil al melden", report());
    act(
        &mut kit,
        TEACHER,
        "overlegt met de intern begeleider",
        consultation_internal(),
    );
    act(
        &mut kit,
        COORDINATOR,
        "bespreekt open in het ZAT, zonder toestemming",
        consultation_care_team(false),
    );
    act(
        &mut kit,
        COORDINATOR,
        "vraagt anoniem advies aan Veilig Thuis",
        advice(),
    );
    act(
        &mut kit,
        COORDINATOR,
        "overweegt de Verwijsindex",
        risk_index(),
    );
    act(
        &mut kit,
        TEACHER,
        "voert het gesprek met moeder",
        conversation(),
    );
    act(
        &mut kit,
        TEACHER,
        "probeert te wegen",
        assessment_2019(Answer::Yes, None, None),
    );
    act(
        &mut kit,
        COORDINATOR,
        "weegt met het afwegingskader",
        assessment_2019(Answer::Yes, None, None),
    );
    act(
        &mut kit,
        COORDINATOR,
        "besluit alleen hulp",
        decision(false, true),
    );
    act(
        &mut kit,
        COORDINATOR,
        "besluit te melden en hulp te bieden",
        decision(true, true),
    );
    act(
        &mut kit,
        COORDINATOR,
        "bespreekt de melding met moeder",
        discussion(),
    );
    act(&mut kit, COORDINATOR, "meldt bij Veilig Thuis", report());
    kit.advance(Duration::days(8));
    act(
        &mut kit,
        COORDINATOR,
        "hoort het besluit van Veilig Thuis",
        follow_up(Improvement::Sufficient),
    );
    let review_day = kit.today() + Duration::days(28);
    act(
        &mut kit,
        COORDINATOR,
        "start het hulpplan",
        help_plan(vec![review_day], review_day),
    );
    act(
        &mut kit,
        COORDINATOR,
        "sluit het dossier af",
        close(CaseOutcome::ReportedAndHandedOver),
    );
    act(&mut kit, TEACHER, "wil nog iets toevoegen", signal_own());
    println!(
        "\n{} records in het dossier; geen enkele is gewijzigd of verwijderd.",
        kit.events.len()
    );
}
