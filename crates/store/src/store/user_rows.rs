//! The users table: staff who use the app, also those removed since (their records keep their
//! name).

use crate::error::Result;
use chrono::Utc;
use meldcode_engine::people::User;
use meldcode_engine::{Role, UserId};
use rusqlite::{params, Connection, OptionalExtension};

pub(crate) fn insert_user(conn: &Connection, user: &User) -> Result<()> {
    conn.execute(
        "INSERT INTO users (id, full_name, role, active, added_at) VALUES (?1, ?2, ?3, 1, ?4)",
        params![
            user.id.to_string(),
            user.full_name,
            role_text(user.role),
            Utc::now().to_rfc3339()
        ],
    )?;
    Ok(())
}

pub(crate) fn role_text(role: Role) -> &'static str {
    match role {
        Role::Teacher => "teacher",
        Role::Coordinator => "coordinator",
        Role::Director => "director",
        Role::Board => "board",
    }
}

pub(crate) fn row_to_user(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<User>> {
    let id: String = r.get(0)?;
    let name: String = r.get(1)?;
    let role: String = r.get(2)?;
    let role = match role.as_str() {
        "teacher" => Role::Teacher,
        "coordinator" => Role::Coordinator,
        "director" => Role::Director,
        "board" => Role::Board,
        _ => return Ok(None),
    };
    Ok(id.parse().ok().map(|id| User {
        id,
        full_name: name,
        role,
    }))
}

/// Also a removed user: their records keep their name.
pub(crate) fn load_any_user(conn: &Connection, id: UserId) -> Result<Option<User>> {
    let user = query_user(conn, id)?;
    Ok(user.map(|(u, _)| u))
}

pub(crate) fn load_user(conn: &Connection, id: UserId) -> Result<Option<User>> {
    let user = query_user(conn, id)?;
    Ok(user.and_then(|(u, active)| active.then_some(u)))
}

/// A user and whether they still have access.
pub(crate) fn query_user(conn: &Connection, id: UserId) -> Result<Option<(User, bool)>> {
    Ok(conn
        .query_row(
            "SELECT id, full_name, role, active FROM users WHERE id = ?1",
            params![id.to_string()],
            |r| Ok(row_to_user(r)?.map(|u| (u, r.get::<_, i64>(3).is_ok_and(|a| a == 1)))),
        )
        .optional()?
        .flatten())
}
