//! The itsme® scope rule (PROTOCOL §4, §9.3): space-separated, `openid` and exactly one
//! `service:<CODE>` required, every other scope one that grants claims (`profile`, `email`, …).
//! One home for the redirect flow's authorization request and the CIBA request object.

use super::catalogue;

/// A scope that passed the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceScope {
    /// The service code of `service:<CODE>`.
    pub service: String,
    /// Every scope, in the order sent.
    pub scopes: Vec<String>,
}

/// Why a scope fails the rule; `Display` is the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeProblem {
    /// No `openid`.
    #[error("the scope must contain `openid`")]
    NoOpenid,
    /// No `service:<CODE>`.
    #[error("the scope must contain `service:<SERVICE_CODE>`")]
    NoService,
    /// More than one `service:<CODE>`.
    #[error("the scope must contain exactly one `service:<SERVICE_CODE>`")]
    SeveralServices,
    /// A scope that is neither `openid`, a service nor a claim scope.
    #[error("unknown scope `{0}`")]
    Unknown(String),
}

/// Checks a `scope` value against the rule; the first problem in the order `openid`, service,
/// unknown scope.
pub fn check(scope: &str) -> Result<ServiceScope, ScopeProblem> {
    let scopes: Vec<String> = scope.split_whitespace().map(str::to_string).collect();
    require_openid(&scopes)?;
    let services: Vec<&str> = scopes
        .iter()
        .filter_map(|s| s.strip_prefix("service:"))
        .collect();
    let service = match services.as_slice() {
        [one] => one.to_string(),
        [] => return Err(ScopeProblem::NoService),
        _ => return Err(ScopeProblem::SeveralServices),
    };
    refuse_unknown(&scopes)?;
    Ok(ServiceScope { service, scopes })
}

/// The rule for the scope sent outside an encrypted request object, where the service may be
/// inside only (PROTOCOL §4): `openid`, and no unknown scope.
pub fn check_outside(scope: &str) -> Result<(), ScopeProblem> {
    let scopes: Vec<String> = scope.split_whitespace().map(str::to_string).collect();
    require_openid(&scopes)?;
    refuse_unknown(&scopes)
}

fn require_openid(scopes: &[String]) -> Result<(), ScopeProblem> {
    if scopes.iter().any(|s| s == "openid") {
        Ok(())
    } else {
        Err(ScopeProblem::NoOpenid)
    }
}

fn refuse_unknown(scopes: &[String]) -> Result<(), ScopeProblem> {
    match scopes.iter().find(|s| {
        *s != "openid" && !s.starts_with("service:") && catalogue::claims_of_scope(s).is_none()
    }) {
        Some(unknown) => Err(ScopeProblem::Unknown(unknown.clone())),
        None => Ok(()),
    }
}

/// The claims the scopes grant (full names, catalogue order), for userinfo (PROTOCOL §4).
pub fn granted_claims(scopes: &[String]) -> Vec<String> {
    catalogue::scope_claims()
        .iter()
        .filter(|(scope, _)| scopes.iter().any(|s| s == scope))
        .flat_map(|(_, claims)| claims.iter().map(|c| c.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openid_and_one_service_are_required() {
        let ok = check("openid service:LOGIN profile").unwrap();
        assert_eq!(ok.service, "LOGIN");
        assert_eq!(ok.scopes.len(), 3);
        assert_eq!(check("service:LOGIN"), Err(ScopeProblem::NoOpenid));
        assert_eq!(check("openid profile"), Err(ScopeProblem::NoService));
        assert_eq!(
            check("openid service:A service:B"),
            Err(ScopeProblem::SeveralServices)
        );
        assert_eq!(
            check("openid service:A offline_access"),
            Err(ScopeProblem::Unknown("offline_access".into()))
        );
        assert!(
            granted_claims(&ok.scopes)
                .iter()
                .any(|c| c == "family_name")
        );
    }
}
