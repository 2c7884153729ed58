//! Stable codes: the names that reach JSON output and the docs (`expired`, `jwks_private_members`,
//! …). Each kind of code is one enum declared through [`stable_codes!`], which writes the code
//! beside its variant once and derives the rest: `ALL` (for the docs tests), `as_str`, `Display`
//! and `Serialize` as that string. A leaf: the rules and flows that report codes use it.

/// Declares an enum of stable codes: each variant with its code, `Variant => "code",`.
///
/// Generates the enum (`Debug, Clone, Copy, PartialEq, Eq, Hash`), `ALL` in declaration order,
/// `as_str`, `Display` (the code, honouring width and alignment) and `Serialize` (the code as a
/// string). Codes are part of the JSON contract: add new ones, never rename.
macro_rules! stable_codes {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident => $code:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$variant_meta])* $variant, )+
        }

        impl $name {
            /// Every code, in declaration order.
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            /// The code as it appears in JSON and in the docs.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $code, )+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

pub(crate) use stable_codes;

#[cfg(test)]
mod tests {
    stable_codes! {
        /// Two codes.
        enum Sample {
            /// The first.
            FirstOne => "first_one",
            /// The second.
            Second => "second",
        }
    }

    #[test]
    fn a_code_is_one_string_everywhere() {
        assert_eq!(Sample::ALL, [Sample::FirstOne, Sample::Second]);
        assert_eq!(Sample::FirstOne.as_str(), "first_one");
        assert_eq!(format!("{:<8}|", Sample::Second), "second  |");
        assert_eq!(
            serde_json::to_string(&Sample::ALL).unwrap(),
            r#"["first_one","second"]"#
        );
    }
}
