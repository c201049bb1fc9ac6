//! Placeholder: being written (replaced by the owner of the crate).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = data;
});
