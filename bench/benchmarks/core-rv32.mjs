// The C core on RV32IMC under QEMU (instructions, not cycles): the benchmark lives in bench/core-rv32.mjs,
// which also runs on its own; this entry lets `npm run bench -- --only core-rv32` run it with the others.
export { run, title } from '../core-rv32.mjs';
