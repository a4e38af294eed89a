/** The CloudWatch EMF lines (Powertools Metrics) `run` writes to stdout, with its result. */
export async function emfLinesOf<T>(run: () => Promise<T>): Promise<{ result: T; emf: any[] }> {
  const written: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  const result = await run().finally(() => write.mockRestore());
  const emf = written
    .join('')
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    })
    .filter((line) => line._aws);
  return { result, emf };
}
