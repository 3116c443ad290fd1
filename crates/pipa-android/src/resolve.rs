//! Resolution of resource references (`@string/app_name`, `@bool/x`) used by
//! the manifest model, behind a small trait so that the model does not depend
//! on how resources are stored (resources.arsc today, resources.pb for AAB later).

/// Looks up resource values by id, in the default configuration.
pub trait Resolver {
    /// A string value (following references); for file resources, the file path.
    fn string(&self, id: u32) -> Option<String>;
    /// A boolean value.
    fn boolean(&self, id: u32) -> Option<bool>;
    /// An integer value.
    fn int(&self, id: u32) -> Option<i64>;
    /// The resource's name as `type/name`.
    fn name(&self, id: u32) -> Option<String>;
}

/// A resolver for packages without resources: every lookup fails.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoResources;

impl Resolver for NoResources {
    fn string(&self, _: u32) -> Option<String> {
        None
    }
    fn boolean(&self, _: u32) -> Option<bool> {
        None
    }
    fn int(&self, _: u32) -> Option<i64> {
        None
    }
    fn name(&self, _: u32) -> Option<String> {
        None
    }
}

impl Resolver for crate::arsc::ResourceTable {
    fn string(&self, id: u32) -> Option<String> {
        self.resolve_string(id)
    }
    fn boolean(&self, id: u32) -> Option<bool> {
        match self.resolve(id)? {
            crate::arsc::ResValue::Value(v) => v.as_bool(),
            crate::arsc::ResValue::Bag { .. } => None,
        }
    }
    fn int(&self, id: u32) -> Option<i64> {
        match self.resolve(id)? {
            crate::arsc::ResValue::Value(v) => v.as_int(),
            crate::arsc::ResValue::Bag { .. } => None,
        }
    }
    fn name(&self, id: u32) -> Option<String> {
        self.name_of(id)
    }
}
