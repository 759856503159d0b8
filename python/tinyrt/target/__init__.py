"""Everything that needs a toolchain or a board: boards (the one board
loader, standard library only), firmware (generated sources, builds), qemu,
emu (instruction counts in unicorn), elfsize, uf2. Import the submodules
themselves; this package imports nothing."""
