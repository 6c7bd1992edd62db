/**
 * An inline confirmation (instead of window.confirm): the question is announced (alertdialog),
 * focus moves to the confirm button, Escape cancels and returns focus to the opener.
 */
import { useEffect, useRef } from 'preact/hooks';

export function Confirm({
  text,
  yes,
  no,
  testid,
  onYes,
  onNo,
}: {
  text: string;
  yes: string;
  no: string;
  testid: string;
  onYes: () => void;
  onNo: () => void;
}) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  return (
    <div
      role="alertdialog"
      aria-labelledby={`${testid}-text`}
      class="confirm"
      data-testid={testid}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onNo();
      }}
    >
      <p id={`${testid}-text`}>{text}</p>
      <button type="button" class="danger" ref={button} data-testid={`${testid}-yes`} onClick={onYes}>
        {yes}
      </button>{' '}
      <button type="button" data-testid={`${testid}-no`} onClick={onNo}>
        {no}
      </button>
    </div>
  );
}
