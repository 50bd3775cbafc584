// Imported first by tsftp and tscp. libuv sends file reads and writes through io_uring unless UV_USE_IO_URING is 0;
// on Linux 6.x the many positional writes of a download land on io_uring's kernel workers at several times the
// CPU of libuv's thread pool (256 MiB from sshd: 1.5 s of system time against 0.3 s), and the transfer is slower
// for it. libuv reads the variable when the first file request goes out, which is after this module ran.
process.env.UV_USE_IO_URING ??= '0';
