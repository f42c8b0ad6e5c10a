# gdb settings for a JVM that runs the variant libraries: the JVM uses these signals itself
# (safepoints, implicit null checks), so they go to it without stopping.
handle SIGSEGV nostop noprint pass
handle SIGBUS nostop noprint pass
handle SIGFPE nostop noprint pass
handle SIGILL nostop noprint pass
handle SIGUSR2 nostop noprint pass
handle SIGQUIT nostop noprint pass
set print thread-events off
set pagination off
set confirm off
set breakpoint pending on

# ctxbt: at ebench_break_step, the chosen context's C frames at its scheduling point, with
# file:line (the controller's own stack runs through Java frames gdb cannot unwind).
define ctxbt
  set $i = 0
  while $i < kshim_cur->point_depth
    printf "  #%d  ", $i
    info line *kshim_cur->point_bt[$i]
    set $i = $i + 1
  end
end
document ctxbt
The C frames of the context chosen at the break step, where it is paused (make gdb).
end
