#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hirebridge_core::fuzzing::oauth_callback(data));
