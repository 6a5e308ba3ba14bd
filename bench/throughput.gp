# Throughput per candidate per engine (gnuplot -e "datafile='...'; outfile='...'").
set terminal pngcairo size 1150,480 font ",10"
set output outfile
set title "Throughput per candidate (kernel lab, qemu TCG: compare ratios only)"
set ylabel "MiB/s"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key outside right top
set yrange [0:*]
set xtics rotate by -20
set grid ytics
plot datafile using 2:xtic(1) title "cryptsetup benchmark enc", \
     '' using 3 title "luksfit afalg enc", \
     '' using 4 title "luksfit dmcrypt enc", \
     '' using 5 title "cryptsetup benchmark dec", \
     '' using 6 title "luksfit afalg dec", \
     '' using 7 title "luksfit dmcrypt dec"
