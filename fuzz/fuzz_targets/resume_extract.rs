#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(init: {
    // The extractor catches parser panics on its own thread (that is the product's guarantee):
    // libFuzzer's abort-on-any-panic hook would report those as crashes, so it is silenced.
    std::panic::set_hook(Box::new(|_| {}));
}, |data: &[u8]| hirebridge_core::fuzzing::resume_extract(data));
