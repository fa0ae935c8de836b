import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

interface SplitterProps {
  /** 'vertical': a vertical bar moved left and right; 'horizontal': moved up and down. */
  orientation: 'vertical' | 'horizontal';
  label: string;
  value: number;
  min: number;
  max: number;
  /** How far one arrow key press moves, in the value's units. */
  step: number;
  /**
   * Converts a pointer movement in pixels (right/down positive) into a change of the value; a
   * function is asked when the drag starts (e.g. for a share of a width measured then).
   */
  perPixel: number | (() => number);
  onChange: (value: number) => void;
  /** The drag or key press is over: save. */
  onCommit: () => void;
  testId?: string;
  className?: string;
}

/**
 * A window splitter (WAI-ARIA "separator" that can be focused): drag it with the pointer, or
 * focus it and use the arrow keys, Home and End.
 */
export function Splitter(props: SplitterProps) {
  const { orientation, label, value, min, max, step, perPixel, onChange, onCommit, testId } = props;
  const className = props.className ?? `splitter splitter-${orientation}`;
  const drag = useRef<{ start: number; from: number; ratio: number } | undefined>(undefined);
  const ratio = () => (typeof perPixel === 'function' ? perPixel() : perPixel);
  const clamp = (v: number) => Math.min(max, Math.max(min, Math.round(v)));
  const position = (event: PointerEvent) =>
    orientation === 'vertical' ? event.clientX : event.clientY;

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    event.currentTarget.focus();
    drag.current = { start: position(event), from: value, ratio: ratio() };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    onChange(clamp(d.from + (position(event) - d.start) * d.ratio));
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    drag.current = undefined;
    event.currentTarget.releasePointerCapture(event.pointerId);
    onCommit();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const forward = orientation === 'vertical' ? 'ArrowRight' : 'ArrowDown';
    const back = orientation === 'vertical' ? 'ArrowLeft' : 'ArrowUp';
    const sign = Math.sign(ratio()) || 1;
    let next: number | undefined;
    if (event.key === forward) next = value + step * sign;
    else if (event.key === back) next = value - step * sign;
    else if (event.key === 'Home') next = min;
    else if (event.key === 'End') next = max;
    if (next === undefined) return;
    event.preventDefault();
    onChange(clamp(next));
    onCommit();
  };

  return (
    <div
      className={className}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      data-testid={testId}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
